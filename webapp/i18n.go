package webapp

import (
	"fmt"
	"time"

	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/person"
)

// Languages: Vietnamese first, English second.
const (
	langVI = "vi"
	langEN = "en"
)

// messages is the one translation table every string a person reads goes through. Codes of
// the domain packages (person.*, exam.*) are looked up in their own tables.
func messages() map[string][2]string {
	return map[string][2]string{
		// Chrome
		"site.skip":        {"Bỏ qua, đến nội dung chính", "Skip to main content"},
		"nav.home":         {"Trang chủ", "Home"},
		"nav.register":     {"Đăng ký", "Register"},
		"nav.signin":       {"Đăng nhập", "Sign in"},
		"nav.signout":      {"Đăng xuất", "Sign out"},
		"nav.me":           {"Bài thi của tôi", "My attempts"},
		"nav.language":     {"English", "Tiếng Việt"},
		"footer.timezone":  {"Giờ hiển thị theo giờ Việt Nam (GMT+7).", "Times are Vietnam time (GMT+7)."},
		"footer.organizer": {"Ban Tổ chức Cuộc thi", "Contest organizing committee"},

		// Landing
		"home.rules.title":      {"Thể lệ tóm tắt", "The rules in brief"},
		"home.rules.exam":       {"Mỗi bài thi gồm %d câu hỏi trắc nghiệm và 01 câu hỏi dự đoán số người trả lời đúng tất cả các câu.", "Each attempt has %d multiple-choice questions and one question predicting how many people answer them all correctly."},
		"home.rules.attempts":   {"Mỗi người được thi tối đa %d lần mỗi đợt, mỗi lần trong %s; kết quả được công nhận là lần có nhiều câu đúng nhất và hoàn thành sớm nhất.", "Everyone may take up to %d attempts per round, %s each; the recognized result is the attempt with the most correct answers, completed earliest."},
		"home.rules.prizes":     {"Giải thưởng mỗi đợt:", "Prizes per round:"},
		"home.rounds":           {"Các đợt thi", "Rounds"},
		"home.participants":     {"%s người đã tham gia", "%s people have taken part"},
		"home.noRounds":         {"Chưa có đợt thi nào được công bố.", "No round has been announced yet."},
		"home.cta.register":     {"Đăng ký dự thi", "Register to take part"},
		"round.state.scheduled": {"Sắp mở", "Opening soon"},
		"round.state.open":      {"Đang mở", "Open"},
		"round.state.closed":    {"Đã kết thúc", "Closed"},
		"round.state.suspended": {"Tạm dừng", "Suspended"},
		"round.opens":           {"Mở lúc %s", "Opens %s"},
		"round.closes":          {"Đóng lúc %s", "Closes %s"},
		"round.window":          {"Từ %s đến %s", "From %s to %s"},
		"round.countdown.open":  {"Mở sau", "Opens in"},
		"round.countdown.close": {"Đóng sau", "Closes in"},
		"round.countdown.day":   {"ngày", "d"},
		"round.start":           {"Bắt đầu làm bài", "Start an attempt"},
		"round.resume":          {"Tiếp tục bài đang làm", "Resume your attempt"},
		"round.attemptsLeft":    {"Bạn còn %d/%d lượt thi trong đợt này.", "You have %d of %d attempts left in this round."},
		"round.winners":         {"Danh sách đoạt giải", "Winners"},
		"prize.count":           {"%d %s", "%d × %s"},

		// Registration
		"register.title":          {"Đăng ký dự thi", "Register"},
		"register.intro":          {"Mỗi người chỉ đăng ký một lần cho cả cuộc thi. Thông tin cá nhân được bảo mật và chỉ hiển thị dạng che một phần.", "Register once for the whole contest. Personal data is kept private and only ever shown partly masked."},
		"field.full_name":         {"Họ và tên", "Full name"},
		"field.birth_date":        {"Ngày sinh (ngày/tháng/năm)", "Date of birth (day/month/year)"},
		"field.gender":            {"Giới tính", "Gender"},
		"field.national_id":       {"Số định danh cá nhân / CCCD (12 số)", "Personal ID / citizen ID card number (12 digits)"},
		"field.phone":             {"Số điện thoại di động", "Mobile phone number"},
		"field.email":             {"Thư điện tử (không bắt buộc)", "Email (optional)"},
		"field.participant_group": {"Đối tượng dự thi", "Participant group"},
		"field.organization":      {"Cơ quan, đơn vị, trường học", "Organization, unit or school"},
		"field.organization.hint": {"Bắt buộc với cán bộ, công chức, viên chức và lực lượng vũ trang.", "Required for officials, public employees and the armed forces."},
		"field.locality":          {"Xã, phường, thị trấn nơi sinh sống hoặc công tác", "Commune or ward where you live or work"},
		"field.locality.choose":   {"— Chọn xã, phường —", "— Choose a commune or ward —"},
		"field.password":          {"Mật khẩu (ít nhất 8 ký tự)", "Password (at least 8 characters)"},
		"field.password2":         {"Nhập lại mật khẩu", "Repeat the password"},
		"field.accept":            {"Tôi đã đọc và đồng ý với thể lệ cuộc thi.", "I have read and accept the contest rules."},
		"field.login":             {"Số điện thoại hoặc số CCCD", "Phone number or citizen ID number"},
		"field.challenge":         {"Xác minh bạn không phải máy: nhập các chữ số trong hình", "Prove you are not a robot: type the digits in the picture"},
		"field.challenge.alt":     {"Hình có sáu chữ số để xác minh", "A picture of six digits to verify you"},
		"field.challenge.busy":    {"Hệ thống đang bận, trang sẽ tự gửi lại sau vài giây. Vui lòng không đóng trang.", "The system is busy; this page will send again by itself in a few seconds. Please keep it open."},
		"field.challenge.auto":    {"Đang xác minh tự động…", "Verifying automatically…"},
		"register.submit":         {"Đăng ký", "Register"},
		"register.done":           {"Đăng ký thành công. Chúc bạn thi tốt!", "You are registered. Good luck!"},
		"register.hasAccount":     {"Đã đăng ký? Đăng nhập", "Already registered? Sign in"},
		"gender.male":             {"Nam", "Male"},
		"gender.female":           {"Nữ", "Female"},

		// Sign-in
		"signin.title":     {"Đăng nhập", "Sign in"},
		"signin.submit":    {"Đăng nhập", "Sign in"},
		"signin.noAccount": {"Chưa có tài khoản? Đăng ký dự thi", "No account yet? Register"},

		// Exam
		"exam.title":           {"Bài thi lần %d — %s", "Attempt %d — %s"},
		"exam.question":        {"Câu %d", "Question %d"},
		"exam.progress":        {"Đã trả lời %d/%d câu", "Answered %d of %d"},
		"exam.timeLeft":        {"Thời gian còn lại", "Time left"},
		"exam.deadline":        {"Hạn nộp bài: %s", "Submit by %s"},
		"exam.prediction":      {"Câu hỏi dự đoán", "Prediction question"},
		"exam.prediction.hint": {"Nhập một số nguyên không âm, ví dụ 125.", "Enter a whole number of 0 or more, e.g. 125."},
		"exam.save":            {"Lưu bài", "Save answers"},
		"exam.saved":           {"Đã lưu", "Saved"},
		"exam.saving":          {"Đang lưu…", "Saving…"},
		"exam.saveFailed":      {"Chưa lưu được, đang thử lại…", "Not saved yet, retrying…"},
		"exam.submit":          {"Nộp bài", "Submit"},
		"exam.submit.confirm":  {"Nộp bài ngay? Sau khi nộp không thể sửa.", "Submit now? Answers cannot be changed afterwards."},
		"exam.autosave.note":   {"Câu trả lời được lưu tự động; nếu mất kết nối, hãy mở lại trang này để làm tiếp.", "Answers are saved as you go; if the connection drops, open this page again to carry on."},
		"exam.unanswered":      {"Bạn chưa trả lời %d câu.", "%d questions are unanswered."},
		// The autosave's save state when the server kept the answers but not the prediction,
		// and when it refused the request (a retry would be refused again).
		"exam.predictionNotSaved": {"Đã lưu các câu trả lời; số dự đoán chưa được lưu.", "Answers saved; the prediction was not saved."},
		"exam.saveRefused":        {"Không lưu được câu trả lời. Vui lòng tải lại trang.", "Your answers could not be saved. Please reload the page."},

		// Result
		"result.title":         {"Kết quả bài thi lần %d", "Result of attempt %d"},
		"result.correct":       {"Số câu đúng: %d/%d", "Correct answers: %d of %d"},
		"result.timeUsed":      {"Thời gian làm bài: %s", "Time used: %s"},
		"result.prediction":    {"Dự đoán của bạn: %s người", "Your prediction: %s people"},
		"result.noPrediction":  {"Bạn chưa trả lời câu hỏi dự đoán.", "You did not answer the prediction question."},
		"result.submittedAt":   {"Nộp lúc: %s", "Submitted at: %s"},
		"result.expired":       {"Bài thi đã hết giờ và được đóng với các câu trả lời đã lưu.", "Time ran out; the attempt was closed with the answers saved."},
		"result.left":          {"Bạn còn %d lượt thi trong đợt này.", "You have %d attempts left in this round."},
		"result.noneLeft":      {"Bạn đã dùng hết lượt thi của đợt này.", "You have used all your attempts in this round."},
		"result.again":         {"Thi lần tiếp theo", "Take another attempt"},
		"result.answersHidden": {"Đáp án đúng sẽ được công bố khi không còn bài thi nào dùng các câu hỏi này đang diễn ra (sau khi đợt thi kết thúc).", "Correct answers are shown once no attempt that uses these questions is still running (after the round closes)."},
		"result.answersNever":  {"Đáp án không được công bố trong cuộc thi này.", "Correct answers are not published in this contest."},
		"result.yourAnswer":    {"Bạn chọn: %s", "Your answer: %s"},
		"result.rightAnswer":   {"Đáp án đúng: %s", "Correct answer: %s"},
		"result.noAnswer":      {"(không trả lời)", "(no answer)"},
		"result.right":         {"Đúng", "Correct"},
		"result.wrong":         {"Sai", "Wrong"},

		// My attempts
		"me.title":           {"Bài thi của tôi", "My attempts"},
		"me.none":            {"Bạn chưa làm bài thi nào.", "You have not taken any attempt yet."},
		"me.round":           {"Đợt", "Round"},
		"me.attempt":         {"Lần", "Attempt"},
		"me.correct":         {"Số câu đúng", "Correct"},
		"me.time":            {"Thời gian", "Time"},
		"me.status":          {"Trạng thái", "Status"},
		"status.in_progress": {"Đang làm", "In progress"},
		"status.submitted":   {"Đã nộp", "Submitted"},
		"status.expired":     {"Hết giờ", "Timed out"},

		// Winners
		"winners.title":      {"Danh sách đoạt giải — %s", "Winners — %s"},
		"winners.notYet":     {"Kết quả đợt thi chưa được công bố.", "The round's results have not been published yet."},
		"winners.prize":      {"Giải", "Prize"},
		"winners.name":       {"Họ và tên", "Name"},
		"winners.id":         {"Số CCCD", "ID number"},
		"winners.unit":       {"Đơn vị", "Organization"},
		"winners.correct":    {"Số câu đúng", "Correct"},
		"winners.prediction": {"Dự đoán", "Prediction"},
		"winners.time":       {"Thời gian", "Time"},

		// Errors and refusals
		"error.title":             {"Không thực hiện được", "That did not work"},
		"error.notFound":          {"Không tìm thấy trang này.", "This page does not exist."},
		"error.internal":          {"Hệ thống đang bận, vui lòng thử lại sau ít phút.", "The system is busy; please try again in a few minutes."},
		"error.csrf":              {"Yêu cầu này không đến từ trang của cuộc thi nên không được thực hiện. Vui lòng mở trang cuộc thi và thử lại.", "This request did not come from the contest's own pages, so it was refused. Please open the contest's page and try again."},
		"error.unavailable":       {"Hệ thống tạm thời gián đoạn. Vui lòng thử lại sau vài giây.", "The system is briefly unavailable. Please try again in a few seconds."},
		"error.busy":              {"Hệ thống đang bận. Vui lòng bấm gửi lại sau vài giây.", "The system is busy. Please send again in a few seconds."},
		"error.bodyTooLarge":      {"Dữ liệu gửi lên quá lớn (tối đa %d KB).", "What was sent is too large (at most %d KB)."},
		"error.bodyType":          {"Trang này không nhận tệp tải lên.", "This page does not take file uploads."},
		"error.badForm":           {"Biểu mẫu gửi lên không đọc được. Vui lòng tải lại trang và thử lại.", "The form could not be read. Please reload the page and try again."},
		"error.loginFormat":       {"Vui lòng nhập số điện thoại hoặc số CCCD đã dùng để đăng ký.", "Please type the phone number or ID number you registered with."},
		"error.signinRequired":    {"Vui lòng đăng nhập để tiếp tục.", "Please sign in to continue."},
		"error.rateLimited":       {"Bạn thao tác quá nhanh. Vui lòng đợi một chút rồi thử lại.", "Too many requests. Please wait a moment and try again."},
		"error.accountLocked":     {"Tài khoản này bị đăng nhập sai quá nhiều lần từ mạng của bạn. Vui lòng thử lại sau %d phút.", "Too many failed sign-ins to this account from your network. Please try again in %d minutes."},
		"error.badLogin":          {"Số điện thoại/CCCD hoặc mật khẩu không đúng.", "Wrong phone/ID number or password."},
		"error.password.short":    {"Mật khẩu cần ít nhất 8 ký tự.", "The password needs at least 8 characters."},
		"error.password.long":     {"Mật khẩu quá dài (tối đa 128 ký tự).", "The password is too long (at most 128 characters)."},
		"error.password.mismatch": {"Hai lần nhập mật khẩu không khớp.", "The two passwords differ."},
		"error.accept":            {"Bạn cần đồng ý với thể lệ để đăng ký.", "You need to accept the rules to register."},
		"error.locality":          {"Vui lòng chọn xã, phường trong danh sách.", "Please choose a commune or ward from the list."},
		"error.nationalIDTaken":   {"Số CCCD này đã được đăng ký. Vui lòng đăng nhập.", "This ID number is already registered. Please sign in."},
		"error.phoneTaken":        {"Số điện thoại này đã được dùng để đăng ký.", "This phone number is already registered."},
		"error.roundNotFound":     {"Không có đợt thi này.", "There is no such round."},
		"error.notOpen":           {"Đợt thi chưa mở. Đợt thi mở lúc %s.", "The round is not open yet. It opens at %s."},
		"error.closed":            {"Đợt thi đã kết thúc lúc %s.", "The round closed at %s."},
		"error.suspended":         {"Đợt thi đang tạm dừng. Vui lòng quay lại sau.", "The round is suspended. Please come back later."},
		"error.noAttemptsLeft":    {"Bạn đã dùng hết %d lượt thi của đợt này.", "You have used all %d attempts in this round."},
		"error.deadline":          {"Đã hết thời gian làm bài; bài thi được đóng với các câu trả lời đã lưu trước hạn.", "The time is up; the attempt was closed with the answers saved before the deadline."},
		"error.finished":          {"Bài thi này đã được nộp.", "This attempt has already been submitted."},
		"error.invalidAnswer":     {"Câu trả lời không hợp lệ.", "That answer is not valid."},
		"error.answerField":       {"Câu trả lời gửi lên không hợp lệ: trường %s không phải là câu trả lời của câu hỏi nào. Vui lòng tải lại trang và thử lại.", "The answers sent are not valid: field %s is not the answer to any question. Please reload the page and try again."},
		"error.answerLetter":      {"Câu trả lời gửi lên không hợp lệ: trường %s (câu %d) phải là một chữ cái từ A đến J. Vui lòng tải lại trang và thử lại.", "The answers sent are not valid: field %s (question %d) must be one letter from A to J. Please reload the page and try again."},
		"error.answerRepeated":    {"Câu trả lời gửi lên không hợp lệ: trường %s (câu %d) được gửi nhiều lần. Vui lòng tải lại trang và thử lại.", "The answers sent are not valid: field %s (question %d) was sent more than once. Please reload the page and try again."},
		"error.answerTooMany":     {"Câu trả lời gửi lên không hợp lệ: biểu mẫu có quá nhiều trường (tối đa %d). Vui lòng tải lại trang và thử lại.", "The answers sent are not valid: the form has too many fields (at most %d). Please reload the page and try again."},
		"error.attemptNotFound":   {"Không tìm thấy bài thi này.", "This attempt does not exist."},
		"error.bankUnavailable":   {"Đề thi của đợt này chưa sẵn sàng. Vui lòng thử lại sau.", "The round's questions are not ready yet. Please try again later."},
		"error.fixBelow":          {"Vui lòng sửa các mục được đánh dấu bên dưới.", "Please correct the fields marked below."},
		"challenge.missing":       {"Vui lòng trả lời câu hỏi xác minh.", "Please answer the verification question."},
		"challenge.invalid":       {"Câu trả lời xác minh không đúng. Vui lòng thử lại.", "The verification answer is wrong. Please try again."},
		"challenge.expired":       {"Câu hỏi xác minh đã hết hạn. Vui lòng thử lại.", "The verification question expired. Please try again."},
		"challenge.tooFast":       {"Vui lòng xem kỹ hình rồi nhập lại các chữ số.", "Please look at the picture carefully and type the digits again."},
		"challenge.harder":        {"Cần xác minh thêm một chút. Vui lòng đợi xác minh tự động xong rồi gửi lại.", "A little more verification is needed. Please wait for it to finish and send again."},
		"challenge.replayed":      {"Câu hỏi xác minh đã được dùng. Vui lòng thử lại.", "The verification question was already used. Please try again."},

		// Organizer console
		"console.site":                 {"Trang quản trị Ban Tổ chức", "Organizer console"},
		"console.nav.dashboard":        {"Tổng quan", "Overview"},
		"console.nav.banks":            {"Ngân hàng câu hỏi", "Question banks"},
		"console.nav.signout":          {"Đăng xuất (%s)", "Sign out (%s)"},
		"console.disabled":             {"Trang quản trị chưa được bật. Quản trị hệ thống cần đặt CONTEST_ADMIN_USERNAME và CONTEST_ADMIN_PASSWORD_HASH (tạo bằng lệnh contest admin hash-password).", "The organizer console is not enabled. The platform engineers need to set CONTEST_ADMIN_USERNAME and CONTEST_ADMIN_PASSWORD_HASH (made with contest admin hash-password)."},
		"console.warn.sharedBank":      {"Cảnh báo đáp án: đợt thi “%s” công bố đáp án của ngân hàng câu hỏi %s, mà các đợt “%s” cũng dùng. Hệ thống sẽ giữ kín đáp án cho đến khi mọi đợt dùng ngân hàng này kết thúc. Nên nhập ngân hàng thành một phiên bản mới cho một trong các đợt, hoặc đặt revealAnswers: Never.", "Answer key warning: round “%s” reveals the answers of question bank %s, which rounds “%s” also use. The answers stay hidden until every round using that bank has ended. Import the bank as a new version for one of the rounds, or set revealAnswers: Never."},
		"console.badForm":              {"Biểu mẫu gửi lên không đọc được. Vui lòng tải lại trang và thử lại.", "The form could not be read. Please reload the page and try again."},
		"console.signinRequired":       {"Vui lòng đăng nhập trang quản trị để tiếp tục.", "Please sign in to the console to continue."},
		"console.signin.title":         {"Đăng nhập trang quản trị", "Sign in to the organizer console"},
		"console.signin.bad":           {"Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password."},
		"console.field.username":       {"Tên đăng nhập", "Username"},
		"console.field.password":       {"Mật khẩu", "Password"},
		"console.dashboard.title":      {"Tổng quan cuộc thi", "Contest overview"},
		"console.dash.rounds":          {"Các đợt thi", "Rounds"},
		"console.dash.round":           {"Đợt thi", "Round"},
		"console.dash.state":           {"Trạng thái", "State"},
		"console.dash.window":          {"Thời gian thi", "Window"},
		"console.dash.participants":    {"Người tham gia", "Participants"},
		"console.dash.attempts":        {"Lượt thi", "Attempts"},
		"console.dash.perfect":         {"Đúng tất cả các câu", "All correct"},
		"console.dash.inProgress":      {"Đang làm bài", "In progress"},
		"console.dash.results":         {"Kết quả", "Results"},
		"console.dash.countsNote":      {"Số liệu tính theo bài đã nộp hoặc hết giờ, tại thời điểm tải trang; “Đúng tất cả các câu” là số người có ít nhất một bài đúng tất cả các câu.", "Counts are of submitted or timed-out attempts, as of this page load; “All correct” counts people with at least one attempt with every answer right."},
		"console.dash.participation":   {"Tình hình tham gia — %s", "Participation — %s"},
		"console.dash.people":          {"người tham gia", "participants"},
		"console.dash.attemptsDone":    {"lượt thi đã nộp", "finished attempts"},
		"console.dash.perfectPeople":   {"người đúng tất cả các câu", "people with every answer right"},
		"console.dash.runningNow":      {"bài đang làm", "attempts in progress"},
		"console.dash.byGroup":         {"Theo đối tượng", "By participant group"},
		"console.dash.group":           {"Đối tượng", "Group"},
		"console.dash.byDay":           {"Theo ngày", "By day"},
		"console.dash.day":             {"Ngày", "Day"},
		"console.dash.newPeople":       {"Người mới", "New participants"},
		"console.dash.share":           {"Tỷ lệ", "Share"},
		"console.dash.nobody":          {"Chưa có ai tham gia.", "Nobody has taken part yet."},
		"console.dash.byDistrict":      {"Theo huyện, thị xã, thành phố", "By district"},
		"console.dash.district":        {"Huyện, thị xã, thành phố", "District"},
		"console.dash.topCommunes":     {"%d xã, phường có nhiều người tham gia nhất", "The %d communes with most participants"},
		"console.dash.commune":         {"Xã, phường, thị trấn", "Commune or ward"},
		"console.dash.reached":         {"%d/%d xã, phường, thị trấn đã có người tham gia.", "%d of %d communes and wards have participants."},
		"console.dash.allLocalities":   {"Tất cả địa bàn (%d xã, phường, thị trấn, kể cả nơi chưa có người tham gia)", "Every locality (%d communes and wards, those without participants included)"},
		"console.dash.locality":        {"Địa bàn", "Locality"},
		"console.dash.byOrganization":  {"Theo cơ quan, đơn vị (%d/%d đơn vị nhiều người nhất)", "By organization (the top %d of %d)"},
		"console.dash.organization":    {"Cơ quan, đơn vị", "Organization"},
		"console.dash.orgNote":         {"Tên đơn vị do người dự thi tự nhập, nên cùng một đơn vị có thể được viết theo nhiều cách. Danh sách đầy đủ có trong báo cáo kết quả.", "Organizations are typed by contestants, so one unit may be spelled several ways. The full list is in the results report."},
		"console.dash.noOrganization":  {"(không ghi đơn vị)", "(no organization given)"},
		"console.phase.none":           {"Chưa có", "None yet"},
		"console.phase.Scheduled":      {"Chờ mở", "Scheduled"},
		"console.phase.Open":           {"Đang mở", "Open"},
		"console.phase.Closed":         {"Đã đóng", "Closed"},
		"console.phase.Ranking":        {"Đang xếp hạng", "Ranking"},
		"console.phase.Ranked":         {"Đã xếp hạng", "Ranked"},
		"console.phase.Failed":         {"Lỗi xếp hạng", "Failed"},
		"console.cond.RankingComplete": {"Xếp hạng hoàn tất", "Ranking complete"},
		"console.cond.PrizesDecided":   {"Các giải đã xác định", "Prizes decided"},
		"console.cond.Open":            {"Đang mở", "Open"},
		"console.cond.Scaled":          {"Đã điều chỉnh số bản sao web", "Web app scaled"},
		"console.cond.status.True":     {"Có", "Yes"},
		"console.cond.status.False":    {"Không", "No"},
		"console.cond.status.Unknown":  {"Chưa rõ", "Unknown"},

		// Console: question banks
		"console.banks.title":       {"Ngân hàng câu hỏi", "Question banks"},
		"console.banks.upload":      {"Tải lên phiên bản mới", "Upload a new version"},
		"console.banks.submit":      {"Kiểm tra và lưu", "Check and save"},
		"console.banks.stored":      {"Các phiên bản đã lưu", "Stored versions"},
		"console.banks.none":        {"Chưa có ngân hàng câu hỏi nào.", "No question bank has been stored yet."},
		"field.name":                {"Tên ngân hàng câu hỏi", "Bank name"},
		"field.version":             {"Phiên bản", "Version"},
		"field.file":                {"Tệp câu hỏi (.xlsx hoặc .csv)", "Question file (.xlsx or .csv)"},
		"console.field.name.hint":   {"Chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ: dot-1. Mỗi đợt thi dùng một tên và phiên bản cố định; phiên bản đã lưu không bao giờ thay đổi.", "Lower-case letters, digits and dashes, e.g. dot-1. A round pins a name and version; a stored version never changes."},
		"console.field.file.hint":   {"Tối đa %d MB. Tệp CSV cần lưu dạng UTF-8; các chủ đề là 5 chủ đề của Kế hoạch.", "At most %d MB. CSV files must be saved as UTF-8; topics are the plan's five."},
		"console.bank.name":         {"Tên", "Name"},
		"console.bank.version":      {"Phiên bản", "Version"},
		"console.bank.questions":    {"Số câu hỏi", "Questions"},
		"console.bank.topics":       {"Số chủ đề", "Topics"},
		"console.bank.importedAt":   {"Lưu lúc", "Stored at"},
		"console.bank.problems":     {"Các lỗi trong tệp %s", "Problems in %s"},
		"console.bank.nothingSaved": {"Chưa lưu gì: hãy sửa tất cả các lỗi dưới đây trong tệp rồi tải lên lại.", "Nothing was saved: fix every problem below in the file, then upload it again."},
		"console.bank.sheet":        {"Trang tính", "Sheet"},
		"console.bank.row":          {"Dòng", "Row"},
		"console.bank.column":       {"Cột", "Column"},
		"console.bank.reason":       {"Lỗi", "Problem"},
		"console.bank.wholeFile":    {"Cả tệp", "Whole file"},
		"console.bank.badVersion":   {"Phiên bản phải là số nguyên từ 1 trở lên.", "The version must be a whole number from 1."},
		"console.bank.badName":      {"Tên chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (tối đa 63 ký tự), bắt đầu và kết thúc bằng chữ hoặc số.", "Use lower-case letters, digits and dashes (at most 63), starting and ending with a letter or digit."},
		"console.bank.noFile":       {"Vui lòng chọn tệp câu hỏi.", "Please choose the question file."},
		"console.bank.tooLarge":     {"Tệp quá lớn: tối đa %d MB.", "The file is too large: at most %d MB."},
		"console.bank.xls":          {"Tệp Excel 97-2003 (.xls) không được hỗ trợ: hãy lưu lại dưới dạng .xlsx hoặc CSV UTF-8.", "Excel 97-2003 files (.xls) are not supported: save it as .xlsx or CSV UTF-8."},
		"console.bank.badType":      {"Chỉ nhận tệp .xlsx hoặc .csv.", "Only .xlsx or .csv files are accepted."},
		"console.bank.rowErrors":    {"Tệp có %d lỗi; chưa lưu gì.", "The file has %d problems; nothing was saved."},
		"console.bank.conflict":     {"Ngân hàng câu hỏi %s phiên bản %d đã có với nội dung khác và không thể thay đổi; hãy tải lên với phiên bản %d.", "Question bank %s version %d already exists with different content and cannot change; upload it as version %d."},
		"console.bank.notFound":     {"Không có ngân hàng câu hỏi này.", "There is no such question bank."},
		"console.bank.short":        {"Chủ đề %s: đợt thi lấy %d câu nhưng ngân hàng chỉ có %d câu.", "Topic %s: the round draws %d questions but the bank has %d."},
		"console.bank.title":        {"Ngân hàng câu hỏi %s, phiên bản %d", "Question bank %s, version %d"},
		"console.bank.created":      {"Đã lưu ngân hàng câu hỏi %s phiên bản %d.", "Question bank %s version %d is saved."},
		"console.bank.present":      {"Ngân hàng câu hỏi %s phiên bản %d đã có sẵn với đúng nội dung này; không có gì thay đổi.", "Question bank %s version %d was already stored with this content; nothing changed."},
		"console.bank.checksum":     {"Mã kiểm tra (SHA-256)", "Checksum (SHA-256)"},
		"console.bank.perTopic":     {"Số câu hỏi theo chủ đề", "Questions per topic"},
		"console.bank.topicCode":    {"Mã", "Code"},
		"console.bank.topic":        {"Chủ đề", "Topic"},
		"console.bank.uses":         {"Các đợt thi dùng phiên bản này", "Rounds that use this version"},
		"console.bank.unused":       {"Chưa có đợt thi nào dùng phiên bản này.", "No round uses this version yet."},
		"console.bank.back":         {"← Danh sách ngân hàng câu hỏi", "← All question banks"},

		// Console: a round's results
		"console.round.title":              {"Kết quả — %s", "Results — %s"},
		"console.round.phase":              {"Giai đoạn", "Phase"},
		"console.round.ranking":            {"Xếp hạng", "Ranking"},
		"console.round.rankedCounts":       {"Đã xếp hạng %s người tham gia với %s lượt thi; %s người đúng tất cả các câu (đáp án của câu hỏi dự đoán).", "Ranked %s participants with %s attempts; %s people with every answer right (the answer to the prediction question)."},
		"console.round.tie":                {"Có người đồng hạng ở ranh giới giải: quy tắc xếp hạng không phân định được, Ban Tổ chức cần quyết định trước khi công bố.", "People are tied at a prize boundary: the rules cannot separate them, and the committee must decide before publishing."},
		"console.round.noConditions":       {"Hệ thống chưa báo cáo tình trạng xếp hạng của đợt này.", "The operator has not reported on this round's ranking yet."},
		"console.round.condition":          {"Điều kiện", "Condition"},
		"console.round.condStatus":         {"Đạt", "Met"},
		"console.round.condMessage":        {"Chi tiết (từ hệ thống)", "Details (from the operator)"},
		"console.round.condSince":          {"Từ lúc", "Since"},
		"console.round.winners":            {"Danh sách đoạt giải", "Winners"},
		"console.round.noWinners":          {"Chưa có danh sách đoạt giải.", "There are no winners yet."},
		"console.round.rank":               {"Hạng", "Rank"},
		"console.round.locality":           {"Địa bàn", "Locality"},
		"console.round.distance":           {"Chênh lệch dự đoán", "Prediction off by"},
		"console.round.report":             {"Báo cáo kết quả", "Results report"},
		"console.round.downloadXLSX":       {"Tải báo cáo (Excel .xlsx)", "Download the report (Excel .xlsx)"},
		"console.round.downloadCSV":        {"Tải báo cáo (CSV, nén .zip)", "Download the report (CSV, zipped)"},
		"console.round.reportNote":         {"Báo cáo gồm danh sách giải, bảng xếp hạng đầy đủ và số liệu tham gia; số CCCD và số điện thoại được che một phần.", "The report holds the prizes, the full ranking and participation; ID and phone numbers are partly masked."},
		"console.report.none":              {"Chưa có bảng xếp hạng của đợt này trong cơ sở dữ liệu: báo cáo có sau khi đợt thi được xếp hạng.", "The database holds no ranking of this round yet: the report exists once the round is ranked."},
		"console.round.publication":        {"Công bố kết quả", "Publication"},
		"console.round.publishedBy":        {"Đã công bố lúc %s (người công bố: %s).", "Published at %s by %s."},
		"console.round.publicPage":         {"Xem trang công khai", "See the public page"},
		"console.round.publishedNotRanked": {"Đợt thi hiện không ở giai đoạn “Đã xếp hạng”, nên trang công khai đang không hiển thị danh sách đoạt giải.", "The round is not Ranked now, so the public page shows no winners."},
		"console.round.unpublish":          {"Ngừng công bố", "Unpublish"},
		"console.round.notPublished":       {"Kết quả chưa được công bố: người dự thi chưa xem được danh sách đoạt giải.", "The results are not published: contestants cannot see the winners yet."},
		"console.round.confirmTie":         {"Tôi xác nhận Ban Tổ chức đã xem xét trường hợp đồng hạng ở ranh giới giải và đồng ý công bố.", "I confirm the committee has considered the tie at the prize boundary and agrees to publish."},
		"console.round.publish":            {"Công bố kết quả", "Publish the results"},
		"console.round.cannotPublish":      {"Chỉ công bố được khi đợt thi đã xếp hạng xong (giai đoạn hiện tại: %s).", "Results can be published only once the round is ranked (current phase: %s)."},
		"console.publish.done":             {"Đã công bố kết quả: trang danh sách đoạt giải đã hiển thị cho mọi người.", "Published: the winners page now shows the winners to everyone."},
		"console.unpublish.done":           {"Đã ngừng công bố: trang danh sách đoạt giải không còn hiển thị người đoạt giải.", "Unpublished: the winners page no longer shows the winners."},
		"console.publish.notRanked":        {"Chưa công bố được: đợt thi chưa xếp hạng xong (giai đoạn hiện tại: %s).", "Not published: the round is not ranked yet (current phase: %s)."},
		"console.publish.confirmTie":       {"Chưa công bố: có người đồng hạng ở ranh giới giải. Hãy đánh dấu ô xác nhận nếu Ban Tổ chức đồng ý công bố.", "Not published: people are tied at a prize boundary. Tick the confirmation if the committee agrees to publish."},

		// Durations
		"duration.hm": {"%d giờ %d phút", "%d h %d min"},
		"duration.ms": {"%d phút %d giây", "%d min %d s"},
		"duration.m":  {"%d phút", "%d minutes"},
	}
}

// translator renders messages in one language.
type translator struct {
	lang  string
	table map[string][2]string
	loc   *time.Location
}

// T translates a code, formatting args into it. Unknown codes fall back to the domain
// packages' tables, then to the code itself (visible in review, never a blank).
func (tr translator) T(code string, args ...any) string {
	i := 0
	if tr.lang == langEN {
		i = 1
	}
	msg, ok := tr.table[code]
	var s string
	switch {
	case ok:
		s = msg[i]
	case i == 1 && person.English(code) != "":
		s = person.English(code)
	case i == 0 && person.Vietnamese(code) != "":
		s = person.Vietnamese(code)
	case i == 1 && exam.English(code) != "":
		s = exam.English(code)
	case i == 0 && exam.Vietnamese(code) != "":
		s = exam.Vietnamese(code)
	default:
		s = code
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Time shows an instant in Vietnam time, in the reader's language.
func (tr translator) Time(t time.Time) string {
	t = t.In(tr.loc)
	if tr.lang == langEN {
		return t.Format("15:04, 2 Jan 2006")
	}
	return t.Format("15:04 ngày 02/01/2006")
}

// Duration shows a time used or a time limit.
func (tr translator) Duration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return tr.T("duration.hm", h, m)
	case s == 0:
		return tr.T("duration.m", m)
	default:
		return tr.T("duration.ms", m, s)
	}
}

// Number writes a count with the reader's thousands separator.
func (tr translator) Number(n int64) string {
	sep := "."
	if tr.lang == langEN {
		sep = ","
	}
	s := fmt.Sprint(n)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return neg + s
}
