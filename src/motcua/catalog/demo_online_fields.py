"""Online form fields of the demo procedures (pure data, loaded by `load_demo`).

Each list is the electronic declaration (tờ khai điện tử) of a procedure that accepts online
submission, after the paper forms: TT 04/2020/TT-BTP (civil status: khai sinh, khai tử, xác nhận
tình trạng hôn nhân), TT 01/2020/TT-BTP (certification), TT 66/2023/TT-BCA mẫu CT01 (residence).
The applicant's own identity (name, ID number, phone, e-mail, address) is asked by the portal
for every procedure and is not repeated here. Kinds: text, textarea, date, number, select,
checkbox, id_number, phone, email (catalog.models.OnlineField.Kind).

FIELDS = {"1.001193": [{"key": ..., "label": ..., "kind": "text", "required": True, ...}, ...]}
"""

_SEX = ["Nam", "Nữ"]
_COMMITMENT = {
    "key": "cam_doan", "kind": "checkbox", "required": True,
    "label": ("Tôi cam đoan nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật "
              "về lời cam đoan của mình."),
}
_COPIES = {
    "key": "so_ban_sao", "kind": "number", "required": False,
    "label": "Số bản sao trích lục đề nghị cấp",
    "help_text": "Để trống nếu không cần bản sao.",
}

FIELDS: dict[str, list[dict]] = {
    # Đăng ký khai sinh — Tờ khai đăng ký khai sinh (TT 04/2020/TT-BTP)
    "1.001193": [
        {"key": "tre_ho_ten", "label": "Họ, chữ đệm, tên của trẻ", "kind": "text", "max_length": 100},
        {"key": "tre_ngay_sinh", "label": "Ngày, tháng, năm sinh của trẻ", "kind": "date",
         "help_text": "Ví dụ: 05/03/2026."},
        {"key": "tre_gioi_tinh", "label": "Giới tính của trẻ", "kind": "select", "choices": _SEX},
        {"key": "tre_noi_sinh", "label": "Nơi sinh", "kind": "text", "max_length": 300,
         "help_text": "Tên cơ sở khám bệnh, chữa bệnh nơi trẻ được sinh ra, hoặc địa chỉ nơi sinh."},
        {"key": "tre_dan_toc", "label": "Dân tộc của trẻ", "kind": "text", "max_length": 50,
         "help_text": "Ví dụ: Kinh, Thái, Mường."},
        {"key": "tre_quoc_tich", "label": "Quốc tịch của trẻ", "kind": "text", "max_length": 50,
         "help_text": "Ví dụ: Việt Nam."},
        {"key": "tre_que_quan", "label": "Quê quán của trẻ", "kind": "text", "required": False, "max_length": 300},
        {"key": "me_ho_ten", "label": "Họ, chữ đệm, tên của mẹ", "kind": "text", "max_length": 100},
        {"key": "me_so_dinh_danh", "label": "Số định danh cá nhân của mẹ", "kind": "id_number"},
        {"key": "me_dan_toc", "label": "Dân tộc của mẹ", "kind": "text", "max_length": 50},
        {"key": "cha_ho_ten", "label": "Họ, chữ đệm, tên của cha", "kind": "text", "required": False,
         "max_length": 100, "help_text": "Để trống nếu chưa xác định được cha."},
        {"key": "cha_so_dinh_danh", "label": "Số định danh cá nhân của cha", "kind": "id_number", "required": False},
        {"key": "cha_dan_toc", "label": "Dân tộc của cha", "kind": "text", "required": False, "max_length": 50},
        {"key": "quan_he", "label": "Quan hệ của người yêu cầu với trẻ", "kind": "select",
         "choices": ["Cha", "Mẹ", "Ông", "Bà", "Người thân thích khác", "Người được ủy quyền"]},
        dict(_COPIES),
        dict(_COMMITMENT),
    ],
    # Đăng ký khai tử — Tờ khai đăng ký khai tử (TT 04/2020/TT-BTP)
    "1.000656": [
        {"key": "nguoi_chet_ho_ten", "label": "Họ, chữ đệm, tên người đã chết", "kind": "text", "max_length": 100},
        {"key": "nguoi_chet_ngay_sinh", "label": "Ngày, tháng, năm sinh của người đã chết", "kind": "date"},
        {"key": "nguoi_chet_gioi_tinh", "label": "Giới tính của người đã chết", "kind": "select", "choices": _SEX},
        {"key": "nguoi_chet_dan_toc", "label": "Dân tộc", "kind": "text", "max_length": 50},
        {"key": "nguoi_chet_quoc_tich", "label": "Quốc tịch", "kind": "text", "max_length": 50},
        {"key": "nguoi_chet_so_dinh_danh", "label": "Số định danh cá nhân của người đã chết", "kind": "id_number",
         "required": False, "help_text": "Nếu người đã chết có số định danh cá nhân."},
        {"key": "noi_cu_tru_cuoi", "label": "Nơi cư trú cuối cùng", "kind": "text", "max_length": 300},
        {"key": "ngay_chet", "label": "Ngày, tháng, năm chết", "kind": "date"},
        {"key": "gio_chet", "label": "Giờ, phút chết", "kind": "text", "required": False, "max_length": 20,
         "help_text": "Ví dụ: 14 giờ 30 phút."},
        {"key": "noi_chet", "label": "Nơi chết", "kind": "text", "max_length": 300},
        {"key": "nguyen_nhan_chet", "label": "Nguyên nhân chết", "kind": "text", "max_length": 300},
        {"key": "giay_bao_tu", "label": "Số, ngày cấp và nơi cấp Giấy báo tử hoặc giấy tờ thay thế", "kind": "text",
         "max_length": 300},
        {"key": "quan_he", "label": "Quan hệ của người yêu cầu với người đã chết", "kind": "select",
         "choices": ["Vợ", "Chồng", "Con", "Cha", "Mẹ", "Người thân thích khác", "Đại diện cơ quan, tổ chức"]},
        dict(_COPIES),
        dict(_COMMITMENT),
    ],
    # Cấp Giấy xác nhận tình trạng hôn nhân — Tờ khai (TT 04/2020/TT-BTP)
    "1.004873": [
        {"key": "ho_ten", "label": "Họ, chữ đệm, tên người được cấp Giấy xác nhận", "kind": "text", "max_length": 100},
        {"key": "ngay_sinh", "label": "Ngày, tháng, năm sinh", "kind": "date"},
        {"key": "gioi_tinh", "label": "Giới tính", "kind": "select", "choices": _SEX},
        {"key": "so_dinh_danh", "label": "Số định danh cá nhân của người được cấp Giấy xác nhận", "kind": "id_number"},
        {"key": "noi_cu_tru", "label": "Nơi cư trú", "kind": "text", "max_length": 300},
        {"key": "tinh_trang", "label": "Tình trạng hôn nhân", "kind": "select",
         "choices": ["Chưa đăng ký kết hôn với ai", "Đã đăng ký kết hôn, đã ly hôn",
                     "Đã đăng ký kết hôn, vợ/chồng đã chết", "Đang có vợ/chồng"]},
        {"key": "qua_trinh_cu_tru", "label": "Quá trình cư trú (nếu đã cư trú ở nhiều nơi)", "kind": "textarea",
         "required": False, "max_length": 2000,
         "help_text": "Ghi các nơi đã đăng ký thường trú và thời gian cư trú ở mỗi nơi."},
        {"key": "muc_dich", "label": "Mục đích sử dụng Giấy xác nhận", "kind": "text", "max_length": 300,
         "help_text": "Ví dụ: để đăng ký kết hôn với ông/bà … tại …"},
        {"key": "so_ban", "label": "Số bản Giấy xác nhận đề nghị cấp", "kind": "number"},
        dict(_COMMITMENT),
    ],
    # Chứng thực bản sao từ bản chính — Phiếu yêu cầu (TT 01/2020/TT-BTP)
    "2.000815": [
        {"key": "ten_giay_to", "label": "Tên giấy tờ, văn bản cần chứng thực bản sao", "kind": "text",
         "max_length": 300},
        {"key": "co_quan_cap", "label": "Cơ quan, tổ chức cấp giấy tờ, văn bản", "kind": "text", "max_length": 300},
        {"key": "ngay_cap", "label": "Ngày cấp giấy tờ, văn bản", "kind": "date", "required": False},
        {"key": "so_trang", "label": "Số trang của bản chính", "kind": "number"},
        {"key": "so_ban_sao", "label": "Số bản sao cần chứng thực", "kind": "number"},
        {"key": "nhan_ket_qua", "label": "Hình thức nhận kết quả", "kind": "select",
         "choices": ["Nhận trực tiếp tại Bộ phận Một cửa (mang theo bản chính để đối chiếu)",
                     "Nhận qua dịch vụ bưu chính công ích"]},
        {"key": "thu_nhan_ban_dien_tu", "label": "Thư điện tử nhận bản sao điện tử (nếu có)", "kind": "email",
         "required": False},
        {"key": "ghi_chu", "label": "Ghi chú", "kind": "textarea", "required": False, "max_length": 1000},
    ],
    # Đăng ký thường trú — Tờ khai thay đổi thông tin cư trú (mẫu CT01)
    "1.004222": [
        {"key": "dia_chi_dang_ky", "label": "Địa chỉ đề nghị đăng ký thường trú", "kind": "text", "max_length": 300,
         "help_text": "Số nhà, đường/thôn, xã/phường, tỉnh."},
        {"key": "truong_hop", "label": "Trường hợp đăng ký", "kind": "select",
         "choices": ["Chỗ ở hợp pháp thuộc quyền sở hữu của mình",
                     "Về ở với vợ, chồng, con, cha, mẹ hoặc người thân khác",
                     "Thuê, mượn, ở nhờ chỗ ở hợp pháp",
                     "Trường hợp khác theo Luật Cư trú"]},
        {"key": "chu_ho_ho_ten", "label": "Họ, chữ đệm, tên chủ hộ", "kind": "text", "max_length": 100},
        {"key": "chu_ho_so_dinh_danh", "label": "Số định danh cá nhân của chủ hộ", "kind": "id_number"},
        {"key": "quan_he_chu_ho", "label": "Quan hệ với chủ hộ", "kind": "select",
         "choices": ["Là chủ hộ", "Vợ", "Chồng", "Con", "Cha", "Mẹ", "Ông", "Bà", "Cháu", "Anh, chị, em",
                     "Người ở nhờ, ở thuê, ở mượn", "Khác"]},
        {"key": "chu_ho_dien_thoai", "label": "Số điện thoại của chủ hộ hoặc chủ sở hữu chỗ ở", "kind": "phone",
         "required": False, "help_text": "Để cơ quan công an liên hệ xác nhận ý kiến đồng ý."},
        {"key": "noi_thuong_tru_truoc", "label": "Nơi thường trú trước đây", "kind": "text", "required": False,
         "max_length": 300},
        {"key": "so_nhan_khau", "label": "Số người cùng đăng ký trong tờ khai", "kind": "number"},
        dict(_COMMITMENT),
    ],
}
