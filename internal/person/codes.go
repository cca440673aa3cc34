package person

// Codes of every FieldError.
const (
	CodeNationalIDRequired     = "national_id.required"
	CodeNationalIDOldCard      = "national_id.old_card"
	CodeNationalIDFormat       = "national_id.format"
	CodeNationalIDProvince     = "national_id.province"
	CodeNationalIDCentury      = "national_id.century_mismatch"
	CodeNationalIDGender       = "national_id.gender_mismatch"
	CodeNationalIDBirthYear    = "national_id.birth_year_mismatch"
	CodePhoneRequired          = "phone.required"
	CodePhoneCharacters        = "phone.characters"
	CodePhoneLength            = "phone.length"
	CodePhoneLandline          = "phone.landline"
	CodePhoneOldPrefix         = "phone.old_prefix"
	CodePhonePrefix            = "phone.prefix"
	CodeNameRequired           = "full_name.required"
	CodeNameTooShort           = "full_name.too_short"
	CodeNameTooLong            = "full_name.too_long"
	CodeNameCharacters         = "full_name.characters"
	CodeNameEdges              = "full_name.edges"
	CodeBirthDateRequired      = "birth_date.required"
	CodeBirthDateFormat        = "birth_date.format"
	CodeBirthDateInvalid       = "birth_date.invalid"
	CodeBirthDateFuture        = "birth_date.future"
	CodeBirthDateTooYoung      = "birth_date.too_young"
	CodeBirthDateTooOld        = "birth_date.too_old"
	CodeGenderRequired         = "gender.required"
	CodeGenderInvalid          = "gender.invalid"
	CodeGroupRequired          = "participant_group.required"
	CodeGroupInvalid           = "participant_group.invalid"
	CodeEmailTooLong           = "email.too_long"
	CodeEmailInvalid           = "email.invalid"
	CodeOrganizationRequired   = "organization.required"
	CodeOrganizationTooLong    = "organization.too_long"
	CodeOrganizationCharacters = "organization.characters"
	CodeLocalityRequired       = "locality_code.required"
)

// Message is one entry of the translation table.
type Message struct {
	Code       string
	Vietnamese string
	English    string
}

// Messages returns the translation table of every code, for the web layer.
func Messages() []Message {
	return []Message{
		{CodeNationalIDRequired, "Vui lòng nhập số căn cước công dân (CCCD).", "Please enter your citizen identity card (CCCD) number."},
		{CodeNationalIDOldCard, "Số chứng minh nhân dân 9 chữ số không được chấp nhận; vui lòng nhập số CCCD (số định danh cá nhân) 12 chữ số.", "The old 9-digit ID card number is not accepted; please enter your 12-digit CCCD (personal identification) number."},
		{CodeNationalIDFormat, "Số CCCD phải gồm đúng 12 chữ số.", "The CCCD number must be exactly 12 digits."},
		{CodeNationalIDProvince, "Ba chữ số đầu của số CCCD không phải mã tỉnh, thành phố nào; vui lòng kiểm tra lại.", "The first three digits of the CCCD number are not a province code; please check it."},
		{CodeNationalIDCentury, "Chữ số thứ 4 của số CCCD (mã thế kỷ sinh) không khớp với năm sinh đã nhập; vui lòng kiểm tra lại số CCCD hoặc ngày sinh.", "The 4th digit of the CCCD number (century of birth) does not match the date of birth; please check the CCCD number or the date of birth."},
		{CodeNationalIDGender, "Chữ số thứ 4 của số CCCD (mã giới tính) không khớp với giới tính đã chọn; vui lòng kiểm tra lại số CCCD hoặc giới tính.", "The 4th digit of the CCCD number (gender code) does not match the selected gender; please check the CCCD number or the gender."},
		{CodeNationalIDBirthYear, "Chữ số thứ 5 và 6 của số CCCD (hai số cuối năm sinh) không khớp với năm sinh đã nhập; vui lòng kiểm tra lại số CCCD hoặc ngày sinh.", "The 5th and 6th digits of the CCCD number (last two digits of the birth year) do not match the date of birth; please check the CCCD number or the date of birth."},
		{CodePhoneRequired, "Vui lòng nhập số điện thoại di động.", "Please enter your mobile phone number."},
		{CodePhoneCharacters, "Số điện thoại chỉ được gồm chữ số (có thể có mã +84, dấu cách, dấu chấm hoặc dấu gạch ngang).", "The phone number may contain digits only (optionally +84, spaces, dots or dashes)."},
		{CodePhoneLength, "Số điện thoại di động phải gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0912 345 678).", "A mobile number has 10 digits starting with 0 (e.g. 0912 345 678)."},
		{CodePhoneLandline, "Đây là số máy bàn; vui lòng nhập số điện thoại di động.", "This is a landline number; please enter a mobile number."},
		{CodePhoneOldPrefix, "Số di động 11 chữ số (đầu số 01…) đã được chuyển sang 10 chữ số từ năm 2018; vui lòng nhập số mới.", "11-digit mobile numbers (01… prefixes) were changed to 10 digits in 2018; please enter the new number."},
		{CodePhonePrefix, "Đầu số không phải đầu số di động Việt Nam (03, 05, 07, 08, 09).", "The prefix is not a Vietnamese mobile prefix (03, 05, 07, 08, 09)."},
		{CodeNameRequired, "Vui lòng nhập họ và tên.", "Please enter your full name."},
		{CodeNameTooShort, "Họ và tên phải có ít nhất 2 ký tự.", "The full name must be at least 2 characters."},
		{CodeNameTooLong, "Họ và tên không được dài quá 100 ký tự.", "The full name cannot be longer than 100 characters."},
		{CodeNameCharacters, "Họ và tên chỉ được gồm chữ cái, dấu cách, dấu nháy đơn (') và dấu gạch ngang (-).", "The full name may contain only letters, spaces, apostrophes (') and hyphens (-)."},
		{CodeNameEdges, "Họ và tên phải bắt đầu và kết thúc bằng chữ cái.", "The full name must begin and end with a letter."},
		{CodeBirthDateRequired, "Vui lòng nhập ngày sinh.", "Please enter your date of birth."},
		{CodeBirthDateFormat, "Ngày sinh phải có dạng ngày/tháng/năm, ví dụ 05/09/1990.", "The date of birth must be written day/month/year, e.g. 05/09/1990."},
		{CodeBirthDateInvalid, "Ngày sinh không có thật (ví dụ 31/02); vui lòng kiểm tra lại.", "The date of birth does not exist (e.g. 31/02); please check it."},
		{CodeBirthDateFuture, "Ngày sinh không được ở tương lai.", "The date of birth cannot be in the future."},
		{CodeBirthDateTooYoung, "Người dự thi phải từ đủ 6 tuổi trở lên.", "Contestants must be at least 6 years old."},
		{CodeBirthDateTooOld, "Tuổi không được quá 120; vui lòng kiểm tra lại năm sinh.", "The age cannot exceed 120; please check the year of birth."},
		{CodeGenderRequired, "Vui lòng chọn giới tính.", "Please select your gender."},
		{CodeGenderInvalid, "Giới tính không hợp lệ; vui lòng chọn Nam hoặc Nữ.", "Invalid gender; please select male or female."},
		{CodeGroupRequired, "Vui lòng chọn đối tượng dự thi.", "Please select your participant group."},
		{CodeGroupInvalid, "Đối tượng dự thi không hợp lệ; vui lòng chọn trong danh sách.", "Invalid participant group; please choose one from the list."},
		{CodeEmailTooLong, "Địa chỉ email không được dài quá 254 ký tự.", "The email address cannot be longer than 254 characters."},
		{CodeEmailInvalid, "Địa chỉ email không hợp lệ (ví dụ: ten@example.com).", "Invalid email address (e.g. name@example.com)."},
		{CodeOrganizationRequired, "Vui lòng nhập cơ quan, đơn vị công tác.", "Please enter your agency or unit."},
		{CodeOrganizationTooLong, "Tên cơ quan, đơn vị không được dài quá 300 ký tự.", "The agency or unit name cannot be longer than 300 characters."},
		{CodeOrganizationCharacters, "Tên cơ quan, đơn vị chứa ký tự không hợp lệ.", "The agency or unit name contains invalid characters."},
		{CodeLocalityRequired, "Vui lòng chọn địa phương (xã, phường, thị trấn).", "Please select your locality (commune, ward or town)."},
	}
}

// Vietnamese returns the Vietnamese text of a code, or "" for an unknown code.
func Vietnamese(code string) string { return lookup(code).Vietnamese }

// English returns the English text of a code, or "" for an unknown code.
func English(code string) string { return lookup(code).English }

func lookup(code string) Message {
	for _, m := range Messages() {
		if m.Code == code {
			return m
		}
	}
	return Message{}
}
