package bank

// PlanTopics returns the five content areas of Plan No. 2937/KH-BCĐCCHC&CĐS
// (section II.3), in the plan's order. A new slice is returned on every call
// so no caller can change another's copy.
func PlanTopics() []Topic {
	return []Topic{
		{Code: "tong-quan", Title: "Những vấn đề chung, tổng quan về chuyển đổi số"},
		{Code: "chinh-phu", Title: "Chương trình, kế hoạch của Chính phủ, Thủ tướng Chính phủ về chuyển đổi số"},
		{Code: "tinh", Title: "Nghị quyết, chương trình, kế hoạch của Tỉnh ủy, UBND tỉnh về chuyển đổi số"},
		{Code: "nen-tang-so", Title: "Khai thác, sử dụng hệ thống thông tin, nền tảng số"},
		{Code: "an-toan-thong-tin", Title: "Kiến thức, kỹ năng về an toàn thông tin trên môi trường số"},
	}
}

// topicIndex finds topics by code, or by title for files that name the
// topic instead of giving its code.
type topicIndex struct {
	// known is false when there is no topic list at all; that is reported
	// once, instead of "unknown topic" on every question.
	known   bool
	byCode  map[string]string // lower-case code → code
	byTitle map[string]string // textKey(title) → code
}

func newTopicIndex(topics []Topic) topicIndex {
	idx := topicIndex{known: len(topics) > 0, byCode: map[string]string{}, byTitle: map[string]string{}}
	for _, t := range topics {
		if t.Code == "" {
			continue
		}
		if _, dup := idx.byCode[lower(t.Code)]; !dup {
			idx.byCode[lower(t.Code)] = t.Code
		}
		if k := textKey(t.Title); k != "" {
			if _, dup := idx.byTitle[k]; !dup {
				idx.byTitle[k] = t.Code
			}
		}
	}
	return idx
}

// has reports whether code is exactly a topic code of the bank.
func (idx topicIndex) has(code string) bool {
	c, ok := idx.byCode[lower(code)]
	return ok && c == code
}

// resolve maps a topic cell to its code, accepting any letter case and the
// topic's title. Unknown values come back unchanged for the validator to
// report.
func (idx topicIndex) resolve(cell string) string {
	if c, ok := idx.byCode[lower(cell)]; ok {
		return c
	}
	if c, ok := idx.byTitle[textKey(cell)]; ok {
		return c
	}
	return cell
}
