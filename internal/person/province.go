package person

// Province is a province or centrally-run city with the code that opens the national
// IDs of people whose birth it registered.
type Province struct {
	Code string
	Name string
}

// Provinces returns the 63 codes of Appendix 1 of Circular 07/2016/TT-BCA (the
// administrative division before the 2025 mergers; numbers already issued keep them).
func Provinces() [63]Province {
	return [63]Province{
		{"001", "Hà Nội"}, {"002", "Hà Giang"}, {"004", "Cao Bằng"}, {"006", "Bắc Kạn"},
		{"008", "Tuyên Quang"}, {"010", "Lào Cai"}, {"011", "Điện Biên"}, {"012", "Lai Châu"},
		{"014", "Sơn La"}, {"015", "Yên Bái"}, {"017", "Hòa Bình"}, {"019", "Thái Nguyên"},
		{"020", "Lạng Sơn"}, {"022", "Quảng Ninh"}, {"024", "Bắc Giang"}, {"025", "Phú Thọ"},
		{"026", "Vĩnh Phúc"}, {"027", "Bắc Ninh"}, {"030", "Hải Dương"}, {"031", "Hải Phòng"},
		{"033", "Hưng Yên"}, {"034", "Thái Bình"}, {"035", "Hà Nam"}, {"036", "Nam Định"},
		{"037", "Ninh Bình"}, {"038", "Thanh Hóa"}, {"040", "Nghệ An"}, {"042", "Hà Tĩnh"},
		{"044", "Quảng Bình"}, {"045", "Quảng Trị"}, {"046", "Thừa Thiên Huế"}, {"048", "Đà Nẵng"},
		{"049", "Quảng Nam"}, {"051", "Quảng Ngãi"}, {"052", "Bình Định"}, {"054", "Phú Yên"},
		{"056", "Khánh Hòa"}, {"058", "Ninh Thuận"}, {"060", "Bình Thuận"}, {"062", "Kon Tum"},
		{"064", "Gia Lai"}, {"066", "Đắk Lắk"}, {"067", "Đắk Nông"}, {"068", "Lâm Đồng"},
		{"070", "Bình Phước"}, {"072", "Tây Ninh"}, {"074", "Bình Dương"}, {"075", "Đồng Nai"},
		{"077", "Bà Rịa - Vũng Tàu"}, {"079", "Hồ Chí Minh"}, {"080", "Long An"}, {"082", "Tiền Giang"},
		{"083", "Bến Tre"}, {"084", "Trà Vinh"}, {"086", "Vĩnh Long"}, {"087", "Đồng Tháp"},
		{"089", "An Giang"}, {"091", "Kiên Giang"}, {"092", "Cần Thơ"}, {"093", "Hậu Giang"},
		{"094", "Sóc Trăng"}, {"095", "Bạc Liêu"}, {"096", "Cà Mau"},
	}
}

// ProvinceName returns the province whose code opens the national ID, if any.
func ProvinceName(id string) (string, bool) {
	if len(id) < 3 {
		return "", false
	}
	for _, p := range Provinces() {
		if p.Code == id[:3] {
			return p.Name, true
		}
	}
	return "", false
}

// CheckProvince reports a national ID whose first three digits are not one of the
// 63 province codes. It is not part of Validate: people whose birth was registered
// abroad carry a country code there, which this list does not hold. Use it where
// only people born in Vietnam can take part, or as a soft warning.
func CheckProvince(id string) *FieldError {
	id, fe := NormalizeNationalID(id)
	if fe != nil {
		return fe
	}
	if _, ok := ProvinceName(id); !ok {
		return errp(FieldNationalID, CodeNationalIDProvince)
	}
	return nil
}
