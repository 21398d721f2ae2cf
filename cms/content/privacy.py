"""The privacy notice (UU 27/2022 on personal data protection), at /privasi/ in both languages.

Retention periods stated here are the programme's rules; events and reporting enforce them.
"""

from . import contact, heading, paragraph, steps

SLUG = "privasi"

PRIVACY = {
    "id": {
        "title": "Pemberitahuan Privasi",
        "intro": (
            "Bagaimana Ngopi Pimpasa mengumpulkan, memakai, menyimpan dan menghapus data pribadi Anda, "
            "sesuai Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi (UU PDP)."
        ),
        "body": [
            heading("Siapa yang mengelola data Anda"),
            paragraph(
                "Data dikelola oleh kantor imigrasi penyelenggara program Ngopi Pimpasa (Ngopi Pintar "
                "Bersama Petugas Imigrasi Pembina Desa), yang namanya tercantum di bagian bawah setiap "
                "halaman. Dalam istilah UU PDP, kantor tersebut adalah pengendali data pribadi.",
                "Kami hanya meminta data yang benar-benar diperlukan, dan tidak pernah menjual atau "
                "membagikannya untuk iklan.",
            ),
            heading("Saat Anda mengisi daftar hadir (check-in)"),
            paragraph(
                "<b>Data yang dikumpulkan:</b> nama, nomor HP (boleh dikosongkan bila Anda didaftarkan "
                "petugas), jenis kelamin, kelompok usia, RW atau alamat singkat, atau nama instansi bagi "
                "tamu dari lembaga, serta waktu Anda hadir dan waktu Anda memberi persetujuan.",
                "<b>Untuk apa:</b> mencatat siapa yang hadir, mencegah pendaftaran ganda, menyusun laporan "
                "kegiatan berupa angka (berapa peserta, dari RW mana, perempuan dan laki-laki), dan "
                "menghubungi Anda bila ada informasi lanjutan tentang sesi yang Anda ikuti.",
                "<b>Dasar pemrosesan:</b> persetujuan yang Anda berikan di formulir daftar hadir. Tanpa "
                "persetujuan, data tidak disimpan; Anda tetap boleh mengikuti sesi.",
            ),
            heading("Saat Anda menyampaikan laporan"),
            paragraph(
                "<b>Data yang dikumpulkan:</b> jenis laporan, uraian kejadian, lokasi dan waktunya, pihak "
                "yang terlibat, bukti yang Anda lampirkan, dan, hanya bila Anda memilih untuk tidak anonim, "
                "nama serta kontak Anda. Foto dibersihkan dari metadata lokasi (GPS) sebelum disimpan.",
                "<b>Untuk apa:</b> memverifikasi laporan dan menindaklanjutinya, termasuk meneruskannya "
                "kepada instansi yang berwenang, misalnya Kepolisian, BP3MI atau Dinas Tenaga Kerja.",
                "<b>Dasar pemrosesan:</b> pelaksanaan tugas keimigrasian dan kepentingan umum dalam "
                "mencegah tindak pidana perdagangan orang, serta persetujuan Anda atas data kontak Anda.",
            ),
            heading("Melapor tanpa nama"),
            paragraph(
                "Anda boleh melapor tanpa menyebutkan nama. Anda akan menerima kode pelacakan yang hanya "
                "ditampilkan satu kali; simpan kode itu untuk mengikuti perkembangan laporan.",
                "Bila Anda mencantumkan nama dan kontak, data itu disimpan dalam bentuk terenkripsi, hanya "
                "dapat dibuka oleh supervisor, dan tidak ikut diteruskan ke instansi lain tanpa persetujuan "
                "Anda. Petugas tidak akan memberi tahu pihak yang Anda laporkan siapa pelapornya.",
            ),
            heading("Siapa yang dapat melihat data"),
            paragraph(
                "Petugas PIMPASA melihat daftar hadir dan laporan dari wilayah binaannya. Supervisor di "
                "kantor imigrasi melihat seluruhnya dan satu-satunya yang dapat membuka identitas pelapor. "
                "Setiap akses dibatasi dengan akun pribadi dan hak akses sesuai peran.",
            ),
            heading("Berapa lama data disimpan"),
            steps(
                "",
                [
                    (
                        "Daftar hadir",
                        "Nama, nomor HP dan alamat disimpan paling lama satu tahun setelah sesi, lalu dihapus. "
                        "Yang tersisa hanya angka statistik tanpa identitas.",
                    ),
                    (
                        "Identitas pelapor dan file bukti",
                        "Dihapus satu tahun setelah laporan dinyatakan selesai atau tidak dapat "
                        "ditindaklanjuti.",
                    ),
                    (
                        "Isi laporan",
                        "Uraian kejadian dan riwayat penanganannya tetap disimpan, tanpa identitas pelapor, "
                        "untuk statistik dan evaluasi program.",
                    ),
                ],
            ),
            heading("Hak Anda dan cara meminta penghapusan"),
            paragraph(
                "UU PDP memberi Anda hak untuk mendapat informasi tentang pemrosesan data Anda, melihat dan "
                "memperoleh salinannya, memperbaikinya, menarik persetujuan, dan meminta data Anda dihapus.",
                "Untuk memakai hak tersebut, hubungi kantor melalui kontak di bawah atau sampaikan langsung "
                "kepada petugas PIMPASA. Sebutkan nama dan nomor HP yang Anda pakai saat check-in, atau kode "
                "pelacakan laporan Anda. Kami menanggapi permintaan paling lambat 3 x 24 jam sejak diterima.",
            ),
            contact("Hubungi kami", "Untuk pertanyaan atau permintaan tentang data pribadi Anda."),
        ],
    },
    "en": {
        "title": "Privacy Notice",
        "intro": (
            "How Ngopi Pimpasa collects, uses, keeps and deletes your personal data, under Indonesia's "
            "Personal Data Protection Law (Law No. 27 of 2022, UU PDP)."
        ),
        "body": [
            heading("Who manages your data"),
            paragraph(
                "Your data is managed by the immigration office that runs the Ngopi Pimpasa programme "
                "(coffee-table sessions with village-supervising immigration officers); its name is at the "
                "bottom of every page. Under the UU PDP, that office is the personal data controller.",
                "We ask only for data we really need, and never sell it or share it for advertising.",
            ),
            heading("When you check in at a session"),
            paragraph(
                "<b>What we collect:</b> your name, your mobile number (optional when an officer adds you), "
                "gender, age group, your RW or a short address, or your agency for guests from institutions, "
                "and when you checked in and gave your consent.",
                "<b>Why:</b> to record who attended, to prevent double check-ins, to report on the programme "
                "in figures (how many people, from which RW, women and men), and to contact you with "
                "follow-up information about the session you attended.",
                "<b>Legal basis:</b> the consent you give on the check-in form. Without consent nothing is "
                "stored, and you are still welcome at the session.",
            ),
            heading("When you send a report"),
            paragraph(
                "<b>What we collect:</b> the kind of report, what happened, where and when, who is involved, "
                "the evidence you attach, and, only if you choose not to stay anonymous, your name and "
                "contact details. Photos are stripped of location (GPS) metadata before they are stored.",
                "<b>Why:</b> to verify the report and follow it up, including passing it to the competent "
                "authority, for example the police, BP3MI or the local manpower office.",
                "<b>Legal basis:</b> the office's immigration duties and the public interest in preventing "
                "trafficking in persons, and your consent for your contact details.",
            ),
            heading("Reporting anonymously"),
            paragraph(
                "You may report without giving your name. You receive a tracking code, shown only once; keep "
                "it to follow your report.",
                "If you give your name and contact details, they are stored encrypted, only supervisors can "
                "open them, and they are not passed to other agencies without your consent. Officers never "
                "tell the people you report who reported them.",
            ),
            heading("Who can see the data"),
            paragraph(
                "PIMPASA officers see the attendance and reports of the areas they supervise. Supervisors at "
                "the immigration office see everything and are the only ones who can open a reporter's "
                "identity. Every access goes through a personal account with role-based permissions.",
            ),
            heading("How long data is kept"),
            steps(
                "",
                [
                    (
                        "Attendance",
                        "Names, numbers and addresses are kept for at most one year after the session, then "
                        "deleted. Only anonymous figures remain.",
                    ),
                    (
                        "Reporter identity and evidence files",
                        "Deleted one year after the report is closed or found not actionable.",
                    ),
                    (
                        "Report content",
                        "What happened and how it was handled stay on record, without the reporter's "
                        "identity, for the programme's statistics and evaluation.",
                    ),
                ],
            ),
            heading("Your rights and how to ask for deletion"),
            paragraph(
                "The UU PDP gives you the right to be told how your data is processed, to see it and get a "
                "copy, to correct it, to withdraw your consent, and to have your data deleted.",
                "To use these rights, contact the office using the details below or tell a PIMPASA officer "
                "in person. Give the name and mobile number you used at check-in, or your report's tracking "
                "code. We answer within 3 x 24 hours of receiving your request.",
            ),
            contact("Contact us", "For questions or requests about your personal data."),
        ],
    },
}
