"""The demo's directive documents and meeting instructions, with the tasks each assigns (2025–2026).

Lead and coordinating units are the demo's agency and enterprise codes; "XA" is the demo commune. A task
with `each` is assigned to every unit of that group, as a document addressed to "UBND các xã, phường" or
"các sở, ban, ngành" does. Names of people are invented.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

D = datetime.date
UNTIL = D(2026, 12, 31)  # recurring tasks run to the end of the demo's years


@dataclass
class Spec:
    title: str
    lead: str
    deadline: object = None  # a date, None (no deadline) or ("monthly" | "quarterly" | "yearly", day, month offset)
    coords: tuple[str, ...] = ()
    key: bool = False
    product: str = "report"
    sector: str = "CDS"
    each: str | tuple[str, ...] = ()  # "communes:N" or agency codes: one task per unit
    pause: tuple[datetime.date, str] | None = None
    resume: bool = False
    cancel: tuple[datetime.date, str] | None = None


@dataclass
class Source:
    number: str  # "" for a meeting instruction
    date: datetime.date
    summary: str  # the document's summary, or the meeting
    assigner: str  # "chairman", "vice" or "committee"
    tasks: list[Spec] = field(default_factory=list)
    issuer: str = "province"  # or "old_tn": issued by Tây Ninh before the merger
    signer: str = ""


def T(title, lead, deadline=None, *coords, **extra) -> Spec:
    return Spec(title=title, lead=lead, deadline=deadline, coords=tuple(coords), **extra)


CHAIRMAN = ("Trần Quốc Hưng", "Chủ tịch UBND tỉnh")
VICE = ("Lê Minh Phúc", "Phó Chủ tịch UBND tỉnh")
COMMITTEE = ("UBND tỉnh", "")
OFFICE_ROLE_LABEL = "task office (Văn phòng UBND tỉnh)"
ASSIGNER_ROLE_LABEL = "assigner (Chủ tịch UBND tỉnh)"

SECTOR_AGENCIES = ("SYT", "SGDDT", "SNNMT", "SXD", "SCT", "STC", "SNV", "STP")
ALL_AGENCIES = ("VP-UBND", "STC", "SNV", "STP", "SVHTTDL", "SYT", "SGDDT", "SXD", "SNNMT", "SCT", "TTRA", "BQL-KCN")
REPORTING_AGENCIES = ("SKHCN", "STC", "SCT", "SNNMT")

SOURCES: list[Source] = [
    Source("15/KH-UBND", D(2025, 2, 20), "Kế hoạch chuyển đổi số tỉnh Tây Ninh năm 2025", "committee",
           issuer="old_tn", signer="Phó Chủ tịch UBND tỉnh Tây Ninh (cũ)", tasks=[
        T("Triển khai nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP) kết nối với Nền tảng tích hợp, chia sẻ "
          "dữ liệu quốc gia (NDXP)", "SKHCN", D(2025, 6, 30), "VP-UBND", key=True, product="other"),
        T("Nâng cấp hệ thống quản lý văn bản và hồ sơ công việc, bảo đảm liên thông 4 cấp", "SKHCN",
          D(2025, 5, 31), "VP-UBND", product="other"),
        T("Xây dựng Kế hoạch chuyển đổi số năm 2026", "SKHCN", D(2025, 11, 30), "STC", key=True, product="plan"),
        T("Rà soát thủ tục hành chính đủ điều kiện cung cấp dịch vụ công trực tuyến toàn trình", "TTPVHCC",
          D(2025, 4, 30), "SKHCN"),
        T("Triển khai hệ thống phòng họp không giấy cho các sở, ban, ngành", "VP-UBND", D(2025, 9, 30), "SKHCN",
          product="other"),
        T("Bảo đảm 100% văn bản trao đổi giữa các cơ quan nhà nước dưới dạng điện tử, có chữ ký số",
          "VP-UBND", D(2025, 12, 31), "SKHCN", key=True),
        T("Báo cáo kết quả thực hiện Kế hoạch chuyển đổi số năm 2025", "SKHCN", D(2025, 12, 15)),
    ]),
    Source("125/QĐ-UBND", D(2025, 7, 15), "Ban hành Kế hoạch thực hiện Đề án 06 trên địa bàn tỉnh Tây Ninh năm "
           "2025–2026", "chairman", signer=CHAIRMAN[0], tasks=[
        T("Báo cáo kết quả thực hiện Đề án 06", "CAT", ("monthly", 20, 0), "SKHCN", "TTPVHCC", key=True),
        T("Làm sạch dữ liệu dân cư, bảo đảm “đúng, đủ, sạch, sống”", "CAT", D(2025, 12, 31), "STP", key=True,
          sector="KTXH", product="other"),
        T("Tích hợp, xác thực tài khoản định danh điện tử VNeID trên Hệ thống thông tin giải quyết thủ tục "
          "hành chính tỉnh", "SKHCN", D(2025, 10, 31), "CAT", "TTPVHCC", product="other"),
        T("Triển khai khám chữa bệnh bằng căn cước gắn chíp và VNeID tại các cơ sở y tế", "SYT",
          D(2025, 12, 31), "CAT", sector="KTXH", product="other"),
        T("Số hóa sổ hộ tịch, kết nối Cơ sở dữ liệu hộ tịch điện tử với Cơ sở dữ liệu quốc gia về dân cư",
          "STP", D(2026, 6, 30), "CAT", product="other"),
        T("Triển khai thanh toán không dùng tiền mặt trong trường học", "SGDDT", D(2026, 3, 31), sector="KTXH",
          product="other"),
        T("Cấp chữ ký số cho người dân qua ứng dụng VNeID", "CAT", D(2026, 12, 15), "SKHCN", product="other"),
        T("Tuyên truyền, hướng dẫn người dân kích hoạt tài khoản định danh điện tử mức độ 2", "", D(2025, 12, 31),
          "CAT", each="communes:12", product="other"),
    ]),
    Source("345/UBND-KT", D(2025, 8, 5), "Về việc chỉnh trang, ngầm hóa cáp viễn thông và phát triển hạ tầng "
           "viễn thông", "vice", signer=VICE[0], tasks=[
        T("Rà soát, chỉnh trang cáp viễn thông treo trên cột điện lực các tuyến đường trung tâm", "SKHCN",
          D(2025, 12, 31), "SXD", "VNPT-TN", "VIETTEL-TN", sector="BCVT", product="other"),
        T("Xây dựng phương án ngầm hóa hạ tầng cáp viễn thông khu vực đô thị", "SKHCN", D(2026, 3, 31), "SXD",
          sector="BCVT", product="proposal",
          pause=(D(2026, 2, 10), "Chờ điều chỉnh quy hoạch chung đô thị sau sắp xếp đơn vị hành chính.")),
        T("Thẩm định, cấp phép xây dựng trạm thu phát sóng (BTS) theo quy hoạch hạ tầng kỹ thuật viễn thông "
          "thụ động", "SXD", None, "SKHCN", sector="BCVT", product="other"),
        T("Phủ sóng 4G/5G các khu vực lõm sóng tại vùng biên giới", "SKHCN", D(2026, 9, 30), "VIETTEL-TN",
          "VNPT-TN", "MOBIFONE-TN", "BCHQS", key=True, sector="BCVT", product="other"),
        T("Báo cáo tình hình phát triển hạ tầng viễn thông", "SKHCN", ("quarterly", 10, 1), sector="BCVT"),
        T("Phối hợp doanh nghiệp viễn thông gom, bó, chỉnh trang cáp viễn thông trên địa bàn", "",
          D(2026, 4, 30), "VNPT-TN", each="communes:6", sector="BCVT", product="other"),
    ]),
    Source("1520/QĐ-UBND", D(2025, 9, 12), "Phê duyệt Kế hoạch xây dựng kho dữ liệu dùng chung và nền tảng tích "
           "hợp, chia sẻ dữ liệu của tỉnh", "chairman", signer=CHAIRMAN[0], tasks=[
        T("Triển khai nền tảng tích hợp, chia sẻ dữ liệu của tỉnh", "SKHCN", D(2026, 6, 30), "VP-UBND", "STC",
          key=True, product="other"),
        T("Xây dựng kho dữ liệu dùng chung của tỉnh", "SKHCN", D(2026, 12, 31), key=True, product="other",
          pause=(D(2025, 12, 10), "Chờ bố trí kinh phí năm 2026."), resume=True),
        T("Ban hành danh mục cơ sở dữ liệu dùng chung và dữ liệu mở của tỉnh", "SKHCN", D(2025, 12, 31),
          product="draft_decision"),
        T("Ban hành Quy chế quản lý, kết nối, chia sẻ dữ liệu số của tỉnh", "SKHCN", D(2026, 2, 28), "STP",
          product="draft_decision"),
        T("Tham mưu bố trí kinh phí xây dựng kho dữ liệu dùng chung", "STC", D(2025, 11, 30), "SKHCN",
          product="proposal", sector="KTXH"),
        T("Kết nối, chia sẻ cơ sở dữ liệu chuyên ngành lên kho dữ liệu dùng chung của tỉnh", "",
          D(2026, 9, 30), "SKHCN", each=SECTOR_AGENCIES, product="other"),
    ]),
    Source("", D(2025, 9, 30), "Phiên họp thường kỳ UBND tỉnh tháng 9/2025", "chairman", tasks=[
        T("Hoàn thành Hệ thống thông tin báo cáo của tỉnh, kết nối Hệ thống thông tin báo cáo Chính phủ",
          "VP-UBND", D(2025, 12, 15), "SKHCN", key=True, product="other"),
        T("Khắc phục tình trạng chậm giải quyết hồ sơ đất đai", "SNNMT", D(2025, 11, 15), "TTPVHCC",
          sector="KTXH"),
        T("Bố trí trụ sở, trang thiết bị công nghệ thông tin cho bộ máy cấp xã sau sắp xếp", "",
          D(2025, 10, 31), "SNV", each="communes:5", product="other"),
    ]),
    Source("08/CT-UBND", D(2025, 10, 20), "Về tăng cường bảo đảm an toàn thông tin mạng trong hoạt động của các "
           "cơ quan nhà nước trên địa bàn tỉnh", "chairman", signer=CHAIRMAN[0], tasks=[
        T("Triển khai giám sát an toàn thông tin mạng (SOC) cho các hệ thống thông tin của tỉnh", "CAT",
          D(2026, 6, 30), "SKHCN", key=True, product="other"),
        T("Tổ chức diễn tập thực chiến bảo đảm an toàn thông tin mạng năm 2026", "CAT", D(2026, 10, 31),
          "SKHCN", product="other"),
        T("Báo cáo tình hình bảo đảm an toàn thông tin mạng", "CAT", ("quarterly", 15, 0)),
        T("Phê duyệt hồ sơ đề xuất cấp độ an toàn hệ thống thông tin của đơn vị", "", D(2026, 3, 31), "CAT",
          each=ALL_AGENCIES, product="other"),
    ]),
    Source("212/KH-UBND", D(2025, 11, 3), "Kế hoạch phát triển bưu chính tỉnh Tây Ninh giai đoạn 2025–2030",
           "vice", signer=VICE[0], tasks=[
        T("Phát triển mạng bưu chính công cộng gắn với thương mại điện tử tại các xã", "SKHCN", D(2026, 6, 30),
          "VNPOST-TN", "SCT", sector="BCVT", product="other"),
        T("Triển khai mã địa chỉ bưu chính gắn với bản đồ số", "SKHCN", D(2026, 12, 31), "VNPOST-TN",
          sector="BCVT", product="other"),
        T("Đưa sản phẩm OCOP của tỉnh lên sàn thương mại điện tử qua mạng lưới bưu chính", "SCT",
          D(2026, 8, 31), "VNPOST-TN", "VTPOST-TN", "SNNMT", sector="BCVT", product="other"),
        T("Báo cáo doanh thu, sản lượng dịch vụ bưu chính", "SKHCN", ("yearly", 15, -1), sector="BCVT"),
        T("Duy trì điểm bưu điện – văn hóa xã, hỗ trợ người dân sử dụng dịch vụ công trực tuyến", "", None,
          "VNPOST-TN", each="communes:4", sector="BCVT", product="other"),
    ]),
    Source("06/KH-UBND", D(2026, 1, 8), "Kế hoạch chuyển đổi số tỉnh Tây Ninh năm 2026", "chairman",
           signer=CHAIRMAN[0], tasks=[
        T("Báo cáo kết quả thực hiện Kế hoạch chuyển đổi số năm 2026", "SKHCN", ("quarterly", 20, 0), key=True),
        T("Nâng cấp Trung tâm giám sát, điều hành thông minh (IOC), kết nối dữ liệu các ngành", "SKHCN",
          D(2026, 9, 30), "VP-UBND", key=True, product="other"),
        T("Đánh giá chỉ số chuyển đổi số (DTI) của các sở, ngành và xã, phường năm 2025", "SKHCN",
          D(2026, 4, 30), "SNV"),
        T("Nâng cấp Cổng thông tin điện tử tỉnh sau hợp nhất", "VP-UBND", D(2026, 7, 31), "SKHCN",
          product="other"),
        T("Cấp hộp thư điện tử công vụ cho cán bộ, công chức cấp xã sau sắp xếp", "SKHCN", D(2026, 3, 31), "SNV",
          product="other"),
        T("Bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức", "SNV", D(2026, 11, 30), "SKHCN",
          product="other"),
        T("Hỗ trợ doanh nghiệp nhỏ và vừa chuyển đổi số", "SCT", D(2026, 12, 31), "SKHCN", sector="KTXH",
          product="other"),
        T("Xây dựng cơ sở dữ liệu đất đai, kết nối liên thông với Cơ sở dữ liệu quốc gia", "SNNMT",
          D(2026, 10, 31), "SKHCN", key=True, product="other"),
        T("Triển khai sổ sức khỏe điện tử cho người dân", "SYT", D(2026, 12, 31), sector="KTXH", product="other"),
        T("Số hóa học bạ, văn bằng, chứng chỉ", "SGDDT", D(2026, 8, 31), product="other"),
        T("Hoàn thành số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "", D(2026, 6, 30), "TTPVHCC",
          each="communes:12", key=True, product="other"),
        T("Kiện toàn Tổ công nghệ số cộng đồng", "", D(2026, 2, 28), each="communes:12", product="document"),
    ]),
    Source("45/QĐ-UBND", D(2026, 1, 9), "Giao chỉ tiêu kế hoạch phát triển kinh tế – xã hội và dự toán ngân sách "
           "nhà nước năm 2026", "committee", signer=CHAIRMAN[0], tasks=[
        T("Báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế – xã hội", "", ("monthly", 18, 0),
          each=REPORTING_AGENCIES, sector="KTXH"),
        T("Báo cáo ước thực hiện thu ngân sách nhà nước", "STC", ("quarterly", 15, 0), "THUE", sector="KTXH"),
        T("Xây dựng Kế hoạch phát triển kinh tế – xã hội năm 2027", "STC", D(2026, 10, 15), key=True,
          product="plan", sector="KTXH"),
        T("Báo cáo tổng kết công tác năm 2026, phương hướng nhiệm vụ năm 2027", "", ("yearly", 25, -1),
          each=("SKHCN", "STC", "SNV", "SYT", "SGDDT", "SCT"), sector="KTXH"),
    ]),
    Source("", D(2026, 1, 15), "Hội nghị tổng kết công tác năm 2025 ngành Khoa học và Công nghệ", "vice", tasks=[
        T("Tổ chức Ngày Chuyển đổi số tỉnh năm 2026", "SKHCN", D(2026, 10, 10), "SVHTTDL", product="plan"),
        T("Hướng dẫn các xã, phường triển khai mô hình xã thông minh", "SKHCN", D(2026, 4, 30),
          product="document"),
        T("Đánh giá hiện trạng mạng diện rộng (WAN) và Trung tâm tích hợp dữ liệu của tỉnh", "SKHCN",
          D(2026, 3, 15), cancel=(D(2026, 3, 2), "Lồng ghép vào Kế hoạch phát triển hạ tầng số năm 2026 "
                                                  "(97/KH-UBND).")),
    ]),
    Source("18/KH-UBND", D(2026, 1, 22), "Kế hoạch cải cách hành chính tỉnh Tây Ninh năm 2026", "vice",
           signer=VICE[0], tasks=[
        T("Nâng tỷ lệ hồ sơ trực tuyến toàn trình đạt trên 80%", "TTPVHCC", D(2026, 12, 31), "SKHCN", key=True,
          product="other"),
        T("Khảo sát mức độ hài lòng của người dân, doanh nghiệp", "SNV", D(2026, 10, 31)),
        T("Rà soát, đơn giản hóa thủ tục hành chính nội bộ", "VP-UBND", D(2026, 6, 30), "STP"),
        T("Báo cáo công tác cải cách hành chính", "SNV", ("quarterly", 15, 0)),
        T("Tái cấu trúc quy trình, cung cấp dịch vụ công trực tuyến toàn trình thuộc lĩnh vực quản lý", "",
          D(2026, 5, 31), "TTPVHCC", each=("SYT", "SGDDT", "SXD", "SNNMT", "SCT", "STP"), product="other"),
    ]),
    Source("97/KH-UBND", D(2026, 2, 24), "Kế hoạch phát triển hạ tầng số tỉnh Tây Ninh năm 2026", "vice",
           signer=VICE[0], tasks=[
        T("Nâng cấp mạng truyền số liệu chuyên dùng đến 100% xã, phường", "SKHCN", D(2026, 9, 30), "VNPT-TN",
          key=True, sector="BCVT", product="other"),
        T("Phủ cáp quang đến 100% ấp, khu phố", "SKHCN", D(2026, 12, 31), "VNPT-TN", "VIETTEL-TN", "FPT-TN",
          sector="BCVT", product="other"),
        T("Chuyển hệ thống thông tin của các sở, ngành lên nền tảng điện toán đám mây", "SKHCN",
          D(2026, 11, 30), product="other",
          pause=(D(2026, 6, 15), "Chờ hướng dẫn của Bộ Khoa học và Công nghệ về nền tảng điện toán đám mây.")),
        T("Bố trí điểm truy cập Wi-Fi công cộng miễn phí tại trụ sở, nơi tiếp nhận hồ sơ", "", D(2026, 8, 31),
          "VNPT-TN", each="communes:12", sector="BCVT", product="other"),
    ]),
    Source("1234/UBND-VX", D(2026, 3, 16), "Về việc chuyển đổi số trong lĩnh vực văn hóa, du lịch và báo chí",
           "vice", signer=VICE[0], tasks=[
        T("Số hóa di sản văn hóa, điểm du lịch tiêu biểu của tỉnh", "SVHTTDL", D(2026, 10, 31), "SKHCN",
          sector="BCPT", product="other"),
        T("Chuyển đổi số báo chí, phát triển nền tảng đa phương tiện", "DPTTH", D(2026, 9, 30), "BAOTN",
          "SVHTTDL", sector="BCPT", product="other"),
        T("Triển khai vé điện tử tại các khu, điểm du lịch", "SVHTTDL", D(2026, 6, 30), sector="BCPT",
          product="other", pause=(D(2026, 5, 20), "Lồng ghép vào Đề án du lịch thông minh đang xây dựng.")),
        T("Báo cáo công tác quản lý báo chí, xuất bản", "SVHTTDL", ("quarterly", 10, 1), sector="BCPT"),
    ]),
    Source("52/TB-UBND", D(2026, 4, 10), "Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với Sở Khoa học và "
           "Công nghệ", "chairman", signer="Chánh Văn phòng UBND tỉnh", tasks=[
        T("Tham mưu Đề án phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số theo Nghị quyết "
          "57-NQ/TW", "SKHCN", D(2026, 6, 30), key=True, product="draft_decision"),
        T("Sắp xếp hạ tầng Trung tâm tích hợp dữ liệu tỉnh sau hợp nhất", "SKHCN", D(2026, 8, 31),
          product="other"),
        T("Hợp nhất hệ thống một cửa điện tử của tỉnh Long An (cũ) và tỉnh Tây Ninh (cũ)", "SKHCN",
          D(2026, 5, 31), "TTPVHCC", key=True, product="other",
          cancel=(D(2026, 5, 4), "Triển khai theo Hệ thống giải quyết thủ tục hành chính tập trung; nhiệm vụ "
                                  "không còn phù hợp.")),
        T("Đề xuất cơ chế hỗ trợ doanh nghiệp khởi nghiệp sáng tạo", "SKHCN", D(2026, 9, 30), "STC",
          product="proposal",
          cancel=(D(2026, 8, 5), "Đã lồng ghép vào Đề án theo Nghị quyết 57-NQ/TW.")),
        T("Đánh giá hiệu quả các nhiệm vụ khoa học và công nghệ cấp tỉnh", "SKHCN", None),
    ]),
    Source("", D(2026, 5, 18), "Buổi làm việc của Chủ tịch UBND tỉnh với Trung tâm Phục vụ hành chính công tỉnh",
           "chairman", tasks=[
        T("Rút ngắn thời gian giải quyết thủ tục đầu tư, xây dựng", "SXD", D(2026, 8, 31), "TTPVHCC",
          "BQL-KCN", sector="KTXH", product="other"),
        T("Tiếp nhận hồ sơ thủ tục hành chính không phụ thuộc địa giới hành chính", "TTPVHCC", D(2026, 7, 1),
          product="other"),
        T("Chấn chỉnh tình trạng hồ sơ trễ hạn tại các sở, ngành", "TTPVHCC", None, "SNV", product="document"),
    ]),
    Source("890/QĐ-UBND", D(2026, 6, 5), "Phê duyệt Đề án Trung tâm giám sát, điều hành thông minh (IOC) tỉnh "
           "giai đoạn 2026–2030", "chairman", signer=CHAIRMAN[0], tasks=[
        T("Kết nối camera giám sát an ninh trật tự, giao thông về IOC", "CAT", D(2026, 12, 31), "SKHCN",
          product="other"),
        T("Xây dựng bộ chỉ số giám sát, điều hành kinh tế – xã hội trên IOC", "SKHCN", D(2026, 10, 31), "STC",
          key=True, product="other"),
        T("Kết nối dữ liệu y tế, giáo dục lên IOC", "SYT", D(2026, 11, 30), "SGDDT", "SKHCN", product="other"),
        T("Bố trí kinh phí vận hành IOC năm 2027", "STC", D(2026, 11, 20), "SKHCN", product="proposal",
          sector="KTXH"),
        T("Triển khai phản ánh hiện trường qua ứng dụng công dân số của tỉnh", "", D(2026, 12, 15), "SKHCN",
          each="communes:6", product="other"),
    ]),
    Source("2156/UBND-KT", D(2026, 9, 14), "Về việc chuẩn bị báo cáo tổng kết năm 2026 và xây dựng kế hoạch năm "
           "2027", "committee", signer=VICE[0], tasks=[
        T("Xây dựng Kế hoạch chuyển đổi số năm 2027", "SKHCN", D(2026, 11, 30), "STC", key=True, product="plan"),
        T("Báo cáo ước thực hiện các chỉ tiêu năm 2026", "", D(2026, 11, 10),
          each=("SKHCN", "STC", "SNV", "SYT", "SGDDT", "SXD", "SNNMT", "SCT"), sector="KTXH"),
        T("Xây dựng dự toán ngân sách nhà nước năm 2027", "STC", D(2026, 11, 15), sector="KTXH",
          product="proposal"),
    ]),
    Source("", D(2026, 10, 29), "Phiên họp thường kỳ UBND tỉnh tháng 10/2026", "chairman", tasks=[
        T("Rà soát, báo cáo tiến độ giải ngân vốn đầu tư công", "", D(2026, 11, 20), "STC", each="communes:8",
          sector="KTXH"),
        T("Bảo đảm thông tin liên lạc phục vụ phòng, chống thiên tai mùa mưa bão", "SKHCN", D(2026, 12, 5),
          "VNPT-TN", "VIETTEL-TN", sector="BCVT", product="plan"),
        T("Báo cáo tình hình thực hiện nhiệm vụ Chủ tịch UBND tỉnh giao", "VP-UBND", D(2026, 11, 25)),
    ]),
]

PROGRESS_TEXTS = [
    "Đã xây dựng dự thảo, đang lấy ý kiến các đơn vị phối hợp.",
    "Đã khảo sát hiện trạng, đang tổng hợp số liệu.",
    "Đang phối hợp với doanh nghiệp triển khai, hoàn thành khoảng {p}% khối lượng.",
    "Đã trình lãnh đạo đơn vị cho ý kiến dự thảo.",
    "Đang hoàn thiện hồ sơ theo ý kiến góp ý của Sở Tư pháp.",
    "Đã ban hành văn bản hướng dẫn, đang đôn đốc các đơn vị thực hiện.",
    "Đã lựa chọn đơn vị tư vấn, đang triển khai các bước tiếp theo.",
]
COMMENTS = [
    "Đơn vị đã gửi số liệu phối hợp theo đề nghị của đơn vị chủ trì.",
    "Thống nhất với dự thảo, không có ý kiến bổ sung.",
    "Đề nghị đơn vị chủ trì bổ sung nội dung về kinh phí thực hiện.",
    "Đã cử cán bộ đầu mối phối hợp triển khai.",
]
EXTENSION_REASONS = [
    "Cần thêm thời gian lấy ý kiến các sở, ngành và UBND các xã, phường sau sắp xếp.",
    "Nhà thầu chậm bàn giao thiết bị, đề nghị gia hạn để hoàn thành.",
    "Chờ hướng dẫn của Bộ chuyên ngành về yêu cầu kỹ thuật.",
    "Khối lượng dữ liệu cần chuẩn hóa lớn hơn dự kiến.",
]
APPROVAL_NOTES = ["Đồng ý gia hạn.", "Đồng ý; đề nghị hoàn thành đúng thời hạn mới."]
REJECTION_NOTES = [
    "Nhiệm vụ trọng tâm, đề nghị tập trung hoàn thành đúng thời hạn.",
    "Không đồng ý gia hạn; lý do chưa thuyết phục.",
]
RETURN_REASONS = [
    "Báo cáo chưa đánh giá kết quả theo chỉ tiêu của Kế hoạch, đề nghị bổ sung.",
    "Sản phẩm chưa đúng yêu cầu: chưa có văn bản ban hành kèm theo.",
    "Số liệu chưa khớp với báo cáo của các đơn vị phối hợp, đề nghị rà soát.",
]
RESULT_NOTES = {
    "report": "Đã gửi báo cáo về UBND tỉnh (qua Văn phòng UBND tỉnh).",
    "plan": "Đã tham mưu UBND tỉnh ban hành kế hoạch.",
    "draft_decision": "Đã trình UBND tỉnh dự thảo quyết định kèm tờ trình.",
    "proposal": "Đã trình UBND tỉnh tờ trình đề xuất.",
    "document": "Đã ban hành văn bản hướng dẫn, triển khai.",
    "other": "Đã hoàn thành, đưa vào vận hành; báo cáo kết quả gửi UBND tỉnh.",
}
RESULT_TYPES = {"report": "BC", "plan": "KH", "draft_decision": "TTr", "proposal": "TTr", "document": "HD"}
