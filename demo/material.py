"""Demo material for the embedded default, written for this product from public facts.

Laws referred to: UU 21/2007 (trafficking in persons, TPPO), UU 18/2017 (protection of Indonesian
migrant workers, PMI), UU 6/2011 (immigration), Peraturan BP2MI 9/2020 (placement fee exemption).
Each material has an Indonesian original and its English translation, matched by `key`.
"""

from cms.content import (
    bullet_list,
    callout,
    contact,
    faq,
    heading,
    paragraph,
    steps,
    testimony,
    warning_signs,
)

TOPICS = [
    # key, Indonesian (name, slug, description), English (name, slug, description)
    (
        "tppo",
        ("TPPO", "tppo", "Tindak pidana perdagangan orang: cara kerjanya dan cara mencegahnya."),
        ("Trafficking in persons", "trafficking", "How trafficking in persons works and how to prevent it."),
    ),
    (
        "migrasi-aman",
        ("Migrasi aman", "migrasi-aman", "Bekerja ke luar negeri dengan selamat dan terlindungi."),
        ("Safe migration", "safe-migration", "Working abroad safely and protected."),
    ),
    (
        "pmi-prosedural",
        (
            "PMI prosedural",
            "pmi-prosedural",
            "Syarat, dokumen dan langkah resmi menjadi Pekerja Migran Indonesia.",
        ),
        (
            "Procedural migrant work",
            "procedural-migrant-work",
            "Requirements, documents and official steps to work abroad as an Indonesian migrant worker.",
        ),
    ),
    (
        "pengawasan-orang-asing",
        (
            "Pengawasan orang asing",
            "pengawasan-orang-asing",
            "Peran warga dalam mengawasi keberadaan dan kegiatan orang asing.",
        ),
        (
            "Supervision of foreigners",
            "foreigner-supervision",
            "How residents help watch over foreigners' stay and activities.",
        ),
    ),
    (
        "pelaporan",
        ("Pelaporan", "pelaporan", "Cara melapor dan apa yang terjadi dengan laporan Anda."),
        ("Reporting", "reporting", "How to report and what happens to your report."),
    ),
]

HOME = {
    "id": {
        "hero_heading": "Migrasi aman dimulai dari rumah",
        "hero_text": (
            "Petugas Imigrasi Pembina Desa (PIMPASA) mengajak warga memahami cara bekerja ke luar negeri "
            "secara aman, mengenali perdagangan orang, dan melaporkan hal yang mencurigakan."
        ),
        "hero_cta_text": "Baca materi",
    },
    "en": {
        "hero_heading": "Safe migration starts at home",
        "hero_text": (
            "Village-supervising immigration officers (PIMPASA) help residents work abroad safely, "
            "recognise trafficking, and report what looks suspicious."
        ),
        "hero_cta_text": "Read the material",
    },
}

INDEX = {
    "id": {
        "title": "Materi Edukasi",
        "slug": "materi",
        "intro": "<p>Bacaan singkat untuk warga: migrasi aman, tanda perdagangan orang, dan cara melapor. "
        "Bagikan kepada keluarga dan tetangga.</p>",
    },
    "en": {
        "title": "Learning Material",
        "slug": "material",
        "intro": "<p>Short reads for residents: safe migration, the signs of trafficking, and how to report. "
        "Share them with your family and neighbours.</p>",
    },
}

ABOUT = {
    "id": {
        "title": "Tentang Ngopi Pimpasa",
        "slug": "tentang",
        "intro": "Ngopi Pimpasa (Ngopi Pintar Bersama Petugas Imigrasi Pembina Desa) adalah forum dialog "
        "santai antara warga dan petugas imigrasi.",
        "body": [
            paragraph(
                "Petugas Imigrasi Pembina Desa (PIMPASA) ditugaskan mendampingi kelurahan dan desa, termasuk "
                "Desa Binaan Imigrasi. Mereka datang ke RW, duduk bersama warga sambil minum kopi, dan membahas "
                "bahaya tindak pidana perdagangan orang (TPPO), penempatan Pekerja Migran Indonesia (PMI) "
                "non-prosedural, serta keberadaan orang asing di lingkungan.",
                "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta mengadakan Ngopi Pimpasa untuk warga RW 17 "
                "dan RW 19 Kelurahan Cengkareng Timur, Jakarta Barat, pada 22 dan 23 September 2025.",
            ),
            heading("Apa yang dilakukan di sesi"),
            steps(
                "",
                [
                    (
                        "Belajar bersama",
                        "Petugas menjelaskan migrasi aman dan tanda-tanda perdagangan orang.",
                    ),
                    (
                        "Bertanya dan bercerita",
                        "Warga menyampaikan pertanyaan dan pengalaman di lingkungannya.",
                    ),
                    (
                        "Melapor",
                        "Warga dapat menyampaikan informasi awal, disertai bukti bila ada, untuk diverifikasi "
                        "oleh PIMPASA.",
                    ),
                ],
            ),
            heading("Bekerja bersama instansi lain"),
            paragraph(
                "Pengawasan orang asing dilakukan bersama Tim Pengawasan Orang Asing (TIMPORA), yang "
                "melibatkan TNI, Polri, pemerintah daerah dan lembaga pelindungan pekerja migran seperti BP3MI."
            ),
            contact("Hubungi kami"),
        ],
    },
    "en": {
        "title": "About Ngopi Pimpasa",
        "slug": "about",
        "intro": "Ngopi Pimpasa (smart coffee talks with village-supervising immigration officers) is a relaxed "
        "forum where residents and immigration officers talk.",
        "body": [
            paragraph(
                "Village-supervising immigration officers (PIMPASA) are assigned to kelurahan and villages, "
                "including the immigration office's guided villages (Desa Binaan Imigrasi). They come to the "
                "neighbourhood (RW), sit down with residents over coffee, and talk about trafficking in persons "
                "(TPPO), non-procedural placement of Indonesian migrant workers (PMI), and foreigners living "
                "nearby.",
                "The Soekarno-Hatta immigration office held Ngopi Pimpasa for residents of RW 17 and RW 19 of "
                "Kelurahan Cengkareng Timur, West Jakarta, on 22 and 23 September 2025.",
            ),
            heading("What happens at a session"),
            steps(
                "",
                [
                    ("Learning together", "Officers explain safe migration and the signs of trafficking."),
                    ("Questions and stories", "Residents ask questions and share what they see around them."),
                    (
                        "Reporting",
                        "Residents can pass on first information, with evidence if they have any, for PIMPASA "
                        "to verify.",
                    ),
                ],
            ),
            heading("Working with other agencies"),
            paragraph(
                "Foreigners are supervised together with the foreigner supervision team (TIMPORA): the armed "
                "forces, the police, local government and migrant-worker protection bodies such as BP3MI."
            ),
            contact("Contact us"),
        ],
    },
}

MATERIALS = [
    {
        "key": "tanda-tppo",
        "topics": ["tppo", "migrasi-aman"],
        "featured": True,
        "image": "warning",
        "id": {
            "title": "Kenali Tanda-Tanda Perdagangan Orang",
            "slug": "tanda-tanda-perdagangan-orang",
            "intro": "Perdagangan orang sering dimulai dari tawaran kerja yang terdengar terlalu bagus. Kenali "
            "tandanya sebelum Anda atau keluarga Anda terjebak.",
            "body": [
                paragraph(
                    "Tindak pidana perdagangan orang (TPPO) adalah perekrutan, pengangkutan atau penampungan orang "
                    "dengan ancaman, penipuan, jeratan utang atau penyalahgunaan posisi rentan, untuk "
                    "dieksploitasi. Menurut UU Nomor 21 Tahun 2007, pelakunya diancam pidana penjara 3 sampai 15 "
                    "tahun.",
                    "Korban jarang diculik. Lebih sering mereka berangkat dengan sukarela karena percaya pada "
                    "janji pekerjaan.",
                ),
                warning_signs(
                    "Tanda bahaya pada tawaran kerja",
                    [
                        "Gaji sangat tinggi untuk pekerjaan yang tidak memerlukan keahlian atau pengalaman.",
                        "Lowongan hanya beredar di media sosial atau grup percakapan, tanpa alamat kantor yang "
                        "jelas.",
                        "Anda diminta berangkat dengan visa turis atau visa kunjungan, lalu dijanjikan visa kerja "
                        "setibanya di sana.",
                        "Anda diminta membayar biaya di muka, atau gaji Anda akan dipotong berbulan-bulan untuk "
                        "melunasi biaya keberangkatan.",
                        "Lembaga pelatihan kerja (LPK) menjanjikan langsung menempatkan Anda bekerja di luar "
                        "negeri.",
                        "Paspor dan dokumen Anda akan dipegang oleh agen atau majikan.",
                        "Anda diminta merahasiakan tujuan sebenarnya dari keluarga atau dari petugas imigrasi.",
                        "Semuanya serba cepat: tidak ada kontrak tertulis yang bisa Anda baca sebelum berangkat.",
                    ],
                    intro="Satu tanda saja sudah cukup alasan untuk berhenti dan bertanya kepada petugas.",
                ),
                heading("Modus yang sedang marak"),
                paragraph(
                    "Banyak warga Indonesia direkrut lewat media sosial untuk pekerjaan daring di luar negeri, "
                    "misalnya sebagai operator atau layanan pelanggan, lalu dipaksa bekerja di perusahaan penipuan "
                    "daring. Mereka sering diberangkatkan dengan visa kunjungan dan transit di beberapa negara.",
                ),
                callout(
                    "danger",
                    "Paspor Anda adalah milik Anda",
                    "Tidak ada agen, perusahaan atau majikan yang berhak menahan paspor Anda. Penahanan dokumen "
                    "adalah salah satu tanda kuat perdagangan orang.",
                ),
                contact(
                    "Curiga dengan sebuah tawaran kerja?",
                    "Tanyakan dulu sebelum berangkat. Layanan ini tidak dipungut biaya.",
                ),
            ],
        },
        "en": {
            "title": "Recognise the Signs of Trafficking",
            "slug": "signs-of-trafficking",
            "intro": "Trafficking often starts with a job offer that sounds too good to be true. Learn the "
            "signs before you or your family are caught.",
            "body": [
                paragraph(
                    "Trafficking in persons (TPPO) is recruiting, moving or harbouring people through threats, "
                    "deception, debt bondage or abuse of their vulnerability, in order to exploit them. Under "
                    "Law No. 21 of 2007, traffickers face 3 to 15 years in prison.",
                    "Victims are rarely kidnapped. More often they leave willingly because they believe a job "
                    "promise.",
                ),
                warning_signs(
                    "Red flags in a job offer",
                    [
                        "A very high salary for work that needs no skills or experience.",
                        "The vacancy circulates only on social media or chat groups, with no clear office address.",
                        "You are told to travel on a tourist or visit visa and promised a work visa on arrival.",
                        "You are asked to pay fees up front, or your wages will be cut for months to repay the "
                        "cost of your departure.",
                        "A job training institute (LPK) promises to place you in a job abroad directly.",
                        "The agent or employer will keep your passport and documents.",
                        "You are asked to hide your real destination from your family or immigration officers.",
                        "Everything is rushed: there is no written contract you can read before you leave.",
                    ],
                    intro="A single sign is reason enough to stop and ask an officer.",
                ),
                heading("A scheme that is spreading"),
                paragraph(
                    "Many Indonesians are recruited on social media for online jobs abroad, for example as "
                    "operators or customer service staff, and are then forced to work for online scam companies. "
                    "They are often sent on visit visas with transits through several countries.",
                ),
                callout(
                    "danger",
                    "Your passport belongs to you",
                    "No agent, company or employer has the right to keep your passport. Holding someone's "
                    "documents is one of the strongest signs of trafficking.",
                ),
                contact(
                    "Suspicious about a job offer?",
                    "Ask before you leave. This service is free of charge.",
                ),
            ],
        },
    },
    {
        "key": "pmi-prosedural",
        "topics": ["pmi-prosedural", "migrasi-aman"],
        "featured": True,
        "image": "steps",
        "leaflet": True,
        "id": {
            "title": "Syarat dan Langkah Bekerja ke Luar Negeri secara Resmi",
            "slug": "syarat-dan-langkah-pmi-prosedural",
            "intro": "Bekerja ke luar negeri adalah hak setiap warga. Jalur resmi menurut UU Nomor 18 Tahun "
            "2017 memastikan Anda terlindungi sejak sebelum berangkat sampai pulang.",
            "body": [
                paragraph(
                    "Undang-Undang Nomor 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia mengatur "
                    "siapa yang boleh berangkat dan dokumen apa yang harus dimiliki. Calon pekerja migran harus "
                    "berusia paling rendah 18 tahun, memiliki kompetensi, sehat jasmani dan rohani, terdaftar "
                    "sebagai peserta jaminan sosial, dan memiliki dokumen yang lengkap.",
                ),
                heading("Dokumen yang perlu disiapkan"),
                bullet_list(
                    "Siapkan dokumen berikut, lalu simpan salinannya di rumah dan di ponsel Anda:",
                    [
                        "KTP dan kartu keluarga.",
                        "Surat izin suami atau istri, orang tua, atau wali, yang diketahui kepala desa atau lurah.",
                        "Surat keterangan status perkawinan (bagi yang sudah menikah, salinan buku nikah).",
                        "Surat keterangan sehat dari hasil pemeriksaan kesehatan dan psikologi.",
                        "Sertifikat kompetensi kerja.",
                        "Paspor yang diterbitkan kantor imigrasi.",
                        "Visa kerja dari negara tujuan.",
                        "Perjanjian penempatan dan perjanjian kerja yang sudah Anda baca dan pahami.",
                    ],
                ),
                steps(
                    "Langkah-langkahnya",
                    [
                        (
                            "Cari informasi lowongan resmi",
                            "Tanyakan di Dinas Tenaga Kerja (Disnaker) kabupaten/kota atau Layanan Terpadu Satu "
                            "Atap (LTSA). Lowongan resmi tercatat di sistem pemerintah.",
                        ),
                        (
                            "Daftar di Disnaker setempat",
                            "Bawa KTP dan surat izin keluarga. Anda akan tercatat sebagai calon pekerja migran.",
                        ),
                        (
                            "Ikuti seleksi serta pemeriksaan kesehatan dan psikologi",
                            "Pemeriksaan dilakukan di sarana kesehatan yang ditunjuk.",
                        ),
                        (
                            "Ikuti pelatihan dan uji kompetensi",
                            "Anda mendapat sertifikat kompetensi sesuai pekerjaan yang dituju.",
                        ),
                        (
                            "Tanda tangani perjanjian penempatan dan perjanjian kerja",
                            "Baca gaji, jam kerja, hari libur, dan siapa yang menanggung biaya. Jangan "
                            "menandatangani dokumen yang tidak Anda pahami.",
                        ),
                        (
                            "Urus paspor dan visa kerja",
                            "Paspor diurus di kantor imigrasi; visa kerja diurus bersama perusahaan penempatan "
                            "yang berizin.",
                        ),
                        (
                            "Daftar BPJS Ketenagakerjaan",
                            "Jaminan sosial melindungi Anda dari risiko kecelakaan kerja dan kematian, sebelum, "
                            "selama dan sesudah bekerja.",
                        ),
                        (
                            "Ikuti Orientasi Pra Pemberangkatan (OPP)",
                            "Wajib bagi setiap pekerja migran: berisi hak dan kewajiban, budaya negara tujuan, "
                            "dan nomor yang bisa dihubungi bila ada masalah.",
                        ),
                        (
                            "Berangkat dan lapor diri",
                            "Setibanya di negara tujuan, lapor diri ke KBRI atau KJRI, misalnya lewat aplikasi "
                            "Safe Travel dari Kementerian Luar Negeri.",
                        ),
                    ],
                ),
                callout(
                    "info",
                    "Biaya penempatan",
                    "Pekerja migran tidak boleh dibebani biaya penempatan. Untuk banyak jenis pekerjaan, termasuk "
                    "pengurus rumah tangga dan pengasuh, Peraturan BP2MI Nomor 9 Tahun 2020 membebaskan pekerja "
                    "dari biaya tersebut.",
                ),
                contact("Ingin bertanya tentang prosedur?"),
            ],
        },
        "en": {
            "title": "Requirements and Steps to Work Abroad Officially",
            "slug": "procedural-migrant-work-steps",
            "intro": "Working abroad is every citizen's right. The official route under Law No. 18 of 2017 "
            "keeps you protected from before departure until you come home.",
            "body": [
                paragraph(
                    "Law No. 18 of 2017 on the Protection of Indonesian Migrant Workers sets out who may go and "
                    "which documents they need. A prospective migrant worker must be at least 18 years old, "
                    "competent for the job, physically and mentally healthy, registered with social security, and "
                    "hold complete documents.",
                ),
                heading("Documents to prepare"),
                bullet_list(
                    "Prepare these documents, and keep a copy of each at home and on your phone:",
                    [
                        "Identity card (KTP) and family card.",
                        "Permission from your spouse, parents or guardian, acknowledged by the village head or "
                        "lurah.",
                        "A statement of marital status (a copy of the marriage book if married).",
                        "A health certificate based on a medical and psychological examination.",
                        "A certificate of work competence.",
                        "A passport issued by an immigration office.",
                        "A work visa from the destination country.",
                        "A placement agreement and a work agreement that you have read and understood.",
                    ],
                ),
                steps(
                    "The steps",
                    [
                        (
                            "Look for official vacancies",
                            "Ask at the district or city manpower office (Disnaker) or the one-roof service "
                            "centre (LTSA). Official vacancies are recorded in the government's system.",
                        ),
                        (
                            "Register at your local manpower office",
                            "Bring your identity card and your family's permission. You are recorded as a "
                            "prospective migrant worker.",
                        ),
                        (
                            "Pass the selection and the medical and psychological examination",
                            "The examination takes place at an appointed health facility.",
                        ),
                        (
                            "Take the training and the competence test",
                            "You receive a competence certificate for the job you are going to.",
                        ),
                        (
                            "Sign the placement agreement and the work agreement",
                            "Check the wage, working hours, days off, and who pays which costs. Never sign a "
                            "document you do not understand.",
                        ),
                        (
                            "Get your passport and work visa",
                            "The passport comes from the immigration office; the work visa is arranged with a "
                            "licensed placement company.",
                        ),
                        (
                            "Register with BPJS Ketenagakerjaan",
                            "Social security covers work accidents and death, before, during and after your "
                            "work abroad.",
                        ),
                        (
                            "Attend the pre-departure orientation (OPP)",
                            "Compulsory for every migrant worker: your rights and duties, the destination's "
                            "culture, and the numbers to call if something goes wrong.",
                        ),
                        (
                            "Leave, and report your arrival",
                            "Once there, report to the Indonesian embassy or consulate, for example through the "
                            "Foreign Ministry's Safe Travel app.",
                        ),
                    ],
                ),
                callout(
                    "info",
                    "Placement fees",
                    "Migrant workers may not be charged placement fees. For many jobs, including domestic "
                    "workers and caregivers, BP2MI Regulation No. 9 of 2020 exempts workers from these costs.",
                ),
                contact("Questions about the procedure?"),
            ],
        },
    },
    {
        "key": "cek-p3mi",
        "topics": ["pmi-prosedural", "tppo"],
        "featured": True,
        "image": "check",
        "id": {
            "title": "Cara Memastikan Perusahaan Penempatan (P3MI) Berizin",
            "slug": "cara-cek-p3mi-berizin",
            "intro": "Hanya perusahaan penempatan pekerja migran (P3MI) yang berizin boleh merekrut dan "
            "memberangkatkan Anda. Begini cara memeriksanya.",
            "body": [
                paragraph(
                    "Perusahaan Penempatan Pekerja Migran Indonesia (P3MI) wajib memiliki Surat Izin Perusahaan "
                    "Penempatan Pekerja Migran Indonesia (SIP3MI) dari menteri. Untuk setiap perekrutan, P3MI juga "
                    "harus memiliki Surat Izin Perekrutan Pekerja Migran Indonesia (SIP2MI) yang menyebut negara, "
                    "jabatan dan jumlah pekerja yang dicari.",
                    "Orang perseorangan, seperti calo atau sponsor, tidak boleh menempatkan pekerja migran.",
                ),
                steps(
                    "Periksa sebelum menyerahkan dokumen atau uang",
                    [
                        (
                            "Minta nama lengkap perusahaan dan nomor izinnya",
                            "Perusahaan resmi tidak keberatan memberikannya. Catat juga nama petugas yang "
                            "menawarkan pekerjaan.",
                        ),
                        (
                            "Cocokkan di kanal resmi KP2MI",
                            "Periksa daftar P3MI berizin di situs resmi Kementerian Pelindungan Pekerja Migran "
                            "Indonesia (KP2MI, dahulu BP2MI) dan lowongan yang tercatat di SISKOP2MI, sistem "
                            "komputerisasi pelindungan pekerja migran.",
                        ),
                        (
                            "Tanyakan ke Disnaker atau BP3MI terdekat",
                            "Petugas dapat memastikan apakah lowongan tersebut benar terdaftar.",
                        ),
                        (
                            "Telepon pusat panggilan 0800-1000",
                            "Layanan bebas pulsa KP2MI untuk bertanya dan mengadu.",
                        ),
                    ],
                ),
                callout(
                    "warning",
                    "LPK bukan perusahaan penempatan",
                    "Lembaga pelatihan kerja (LPK) hanya boleh melatih. LPK yang merekrut atau menjanjikan "
                    "penempatan kerja di luar negeri bertindak di luar izinnya.",
                ),
                contact("Ragu dengan sebuah perusahaan?"),
            ],
        },
        "en": {
            "title": "How to Check that a Placement Company (P3MI) is Licensed",
            "slug": "check-a-licensed-p3mi",
            "intro": "Only licensed migrant worker placement companies (P3MI) may recruit you and send you "
            "abroad. Here is how to check.",
            "body": [
                paragraph(
                    "An Indonesian migrant worker placement company (P3MI) must hold a company licence (SIP3MI) "
                    "from the minister. For every recruitment it must also hold a recruitment permit (SIP2MI) "
                    "naming the country, the job and the number of workers sought.",
                    "Individuals, such as brokers or sponsors, may not place migrant workers.",
                ),
                steps(
                    "Check before you hand over documents or money",
                    [
                        (
                            "Ask for the company's full name and licence number",
                            "A real company gives them without hesitation. Note the name of the person "
                            "offering the job too.",
                        ),
                        (
                            "Compare them on KP2MI's official channels",
                            "Check the list of licensed P3MI on the official website of the Ministry for the "
                            "Protection of Indonesian Migrant Workers (KP2MI, formerly BP2MI) and the vacancies "
                            "recorded in SISKOP2MI, the migrant worker protection system.",
                        ),
                        (
                            "Ask your nearest manpower office or BP3MI",
                            "Officers can confirm whether the vacancy is really registered.",
                        ),
                        ("Call 0800-1000", "KP2MI's toll-free line for questions and complaints."),
                    ],
                ),
                callout(
                    "warning",
                    "A training institute is not a placement company",
                    "Job training institutes (LPK) may only train. An LPK that recruits or promises a job abroad "
                    "is acting outside its licence.",
                ),
                contact("Unsure about a company?"),
            ],
        },
    },
    {
        "key": "lapor-orang-asing",
        "topics": ["pengawasan-orang-asing", "pelaporan"],
        "featured": False,
        "image": "watch",
        "id": {
            "title": "Yang Dapat Dilaporkan Warga tentang Orang Asing",
            "slug": "melaporkan-orang-asing",
            "intro": "Warga adalah mata dan telinga imigrasi di lingkungannya. Ketahui apa yang perlu dilaporkan "
            "dan bagaimana caranya dengan aman.",
            "body": [
                paragraph(
                    "Orang asing boleh tinggal dan bekerja di Indonesia sesuai visa dan izin tinggalnya, "
                    "sebagaimana diatur dalam UU Nomor 6 Tahun 2011 tentang Keimigrasian. Yang perlu dilaporkan "
                    "adalah perbuatannya, bukan kewarganegaraan atau penampilannya.",
                ),
                warning_signs(
                    "Hal yang dapat Anda laporkan",
                    [
                        "Orang asing yang tinggal melebihi izin tinggalnya (overstay).",
                        "Orang asing yang bekerja, misalnya berdagang atau menjadi buruh, padahal hanya memegang "
                        "visa kunjungan atau tanpa izin kerja.",
                        "Penyalahgunaan visa: datang sebagai wisatawan tetapi menjalankan usaha atau kegiatan lain.",
                        "Orang asing tanpa dokumen perjalanan yang sah.",
                        "Kegiatan yang meresahkan atau membahayakan warga sekitar.",
                    ],
                ),
                steps(
                    "Cara melapor",
                    [
                        (
                            "Catat yang Anda ketahui",
                            "Siapa, di mana, sejak kapan, dan apa yang Anda lihat. Foto hanya bila aman.",
                        ),
                        (
                            "Sampaikan laporan",
                            "Isi formulir laporan di situs ini, sampaikan di sesi Ngopi Pimpasa, atau hubungi "
                            "petugas PIMPASA dan kantor imigrasi.",
                        ),
                        (
                            "Simpan kode pelacakan",
                            "Gunakan kode itu untuk mengikuti perkembangan laporan Anda.",
                        ),
                    ],
                ),
                callout(
                    "warning",
                    "Utamakan keselamatan",
                    "Jangan menegur, menggerebek atau menyebarkan foto orang yang Anda laporkan di media sosial. "
                    "Serahkan penanganannya kepada petugas.",
                ),
                testimony(
                    "Imigrasi tidak bisa bekerja sendiri. Melalui wadah PIMPASA, kami mengajak masyarakat ikut "
                    "mengawasi, melapor, dan berperan aktif menjaga lingkungan.",
                    "Galih P. Kartika Perdhana, Kepala Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta",
                    "Rapat TIMPORA, Oktober 2025",
                ),
                contact("Ingin melapor?"),
            ],
        },
        "en": {
            "title": "What Residents Can Report about Foreigners",
            "slug": "reporting-foreigners",
            "intro": "Residents are immigration's eyes and ears in their neighbourhood. Learn what to report "
            "and how to do it safely.",
            "body": [
                paragraph(
                    "Foreigners may live and work in Indonesia according to their visa and stay permit, as set "
                    "out in Law No. 6 of 2011 on Immigration. What matters is what someone does, not their "
                    "nationality or appearance.",
                ),
                warning_signs(
                    "What you can report",
                    [
                        "A foreigner staying beyond their permit (overstay).",
                        "A foreigner working, for example trading or labouring, on a visit visa or without a "
                        "work permit.",
                        "Visa misuse: arriving as a tourist but running a business or other activities.",
                        "A foreigner without valid travel documents.",
                        "Activities that disturb or endanger the neighbourhood.",
                    ],
                ),
                steps(
                    "How to report",
                    [
                        (
                            "Note what you know",
                            "Who, where, since when, and what you saw. Photos only if safe.",
                        ),
                        (
                            "Send your report",
                            "Fill in the report form on this site, speak up at a Ngopi Pimpasa session, or "
                            "contact a PIMPASA officer or the immigration office.",
                        ),
                        ("Keep your tracking code", "Use it to follow what happens to your report."),
                    ],
                ),
                callout(
                    "warning",
                    "Safety first",
                    "Do not confront, raid or post photos of the people you report on social media. Leave it "
                    "to the officers.",
                ),
                testimony(
                    "Immigration cannot work alone. Through PIMPASA we invite the community to watch, report, "
                    "and take an active part in keeping their neighbourhood safe.",
                    "Galih P. Kartika Perdhana, Head of the Soekarno-Hatta Special Class I Immigration Office",
                    "TIMPORA meeting, October 2025",
                ),
                contact("Want to report?"),
            ],
        },
    },
    {
        "key": "setelah-melapor",
        "topics": ["pelaporan"],
        "featured": False,
        "image": "route",
        "id": {
            "title": "Apa yang Terjadi Setelah Anda Melapor",
            "slug": "setelah-melapor",
            "intro": "Setiap laporan dibaca dan diverifikasi oleh petugas. Inilah perjalanan laporan Anda, "
            "dari diterima sampai selesai.",
            "body": [
                steps(
                    "Perjalanan sebuah laporan",
                    [
                        (
                            "Diterima",
                            "Laporan tercatat dan Anda menerima kode pelacakan. Kode ini hanya ditampilkan "
                            "sekali, jadi catat atau simpan tangkapan layarnya.",
                        ),
                        (
                            "Diverifikasi",
                            "Petugas PIMPASA memeriksa kebenaran informasi, misalnya dengan mendatangi lokasi "
                            "atau mencocokkan data keimigrasian.",
                        ),
                        (
                            "Ditindaklanjuti atau diteruskan",
                            "Pelanggaran keimigrasian ditangani kantor imigrasi. Dugaan TPPO diteruskan kepada "
                            "Kepolisian, dan masalah penempatan pekerja migran kepada BP3MI atau Disnaker.",
                        ),
                        (
                            "Selesai",
                            "Laporan ditutup setelah ditangani. Bila informasinya tidak cukup untuk "
                            "ditindaklanjuti, laporan dinyatakan tidak dapat ditindaklanjuti.",
                        ),
                    ],
                ),
                callout(
                    "info",
                    "Identitas Anda terlindungi",
                    "Anda boleh melapor tanpa nama. Bila Anda mencantumkan nama dan kontak, hanya supervisor "
                    "yang dapat membukanya, dan pihak yang Anda laporkan tidak akan diberi tahu siapa pelapornya.",
                ),
                paragraph(
                    "Tidak semua hasil penanganan dapat diumumkan, terutama bila masih dalam penyelidikan. "
                    "Dengan kode pelacakan, Anda tetap dapat melihat tahap laporan Anda.",
                ),
                contact("Ada informasi tambahan?", "Hubungi kami dan sebutkan kode pelacakan Anda."),
            ],
        },
        "en": {
            "title": "What Happens after You Report",
            "slug": "after-you-report",
            "intro": "Every report is read and verified by an officer. This is your report's journey, from "
            "received to closed.",
            "body": [
                steps(
                    "A report's journey",
                    [
                        (
                            "Received",
                            "Your report is recorded and you get a tracking code. It is shown only once, so "
                            "write it down or take a screenshot.",
                        ),
                        (
                            "Verified",
                            "A PIMPASA officer checks the information, for example by visiting the place or "
                            "comparing immigration records.",
                        ),
                        (
                            "Followed up or forwarded",
                            "Immigration offences are handled by the immigration office. Suspected trafficking "
                            "goes to the police, and migrant-worker placement problems to BP3MI or the manpower "
                            "office.",
                        ),
                        (
                            "Closed",
                            "The report is closed once handled. If there is not enough to act on, it is marked "
                            "not actionable.",
                        ),
                    ],
                ),
                callout(
                    "info",
                    "Your identity is protected",
                    "You may report without your name. If you give your name and contact details, only "
                    "supervisors can open them, and the people you report are never told who reported them.",
                ),
                paragraph(
                    "Not every outcome can be made public, especially while an investigation is running. With "
                    "your tracking code you can still see which stage your report has reached.",
                ),
                contact("More information to add?", "Contact us and give your tracking code."),
            ],
        },
    },
    {
        "key": "tanya-jawab",
        "topics": ["migrasi-aman", "pelaporan", "tppo"],
        "featured": True,
        "image": "faq",
        "id": {
            "title": "Tanya Jawab Migrasi Aman dan Pelaporan",
            "slug": "tanya-jawab",
            "intro": "Jawaban singkat atas pertanyaan yang paling sering diajukan warga di sesi Ngopi Pimpasa.",
            "body": [
                faq(
                    "",
                    [
                        (
                            "Apakah bekerja ke luar negeri dilarang?",
                            "Tidak. Bekerja ke luar negeri adalah hak setiap warga negara. Yang dicegah adalah "
                            "keberangkatan non-prosedural, karena pekerja yang berangkat di luar jalur resmi "
                            "tidak mendapat pelindungan negara.",
                        ),
                        (
                            "Bolehkah saya berangkat dengan visa turis lalu mencari kerja di sana?",
                            "Tidak. Bekerja dengan visa kunjungan melanggar hukum negara tujuan. Anda bisa "
                            "ditahan atau dideportasi, dan mudah dieksploitasi karena tidak punya kontrak kerja "
                            "yang sah.",
                        ),
                        (
                            "Berapa biaya yang harus saya bayar untuk bekerja di luar negeri?",
                            "Pekerja migran tidak boleh dibebani biaya penempatan. Untuk banyak jenis pekerjaan, "
                            "seperti pengurus rumah tangga dan pengasuh, biaya itu ditanggung pihak lain. Tanyakan "
                            "rinciannya ke Disnaker atau BP3MI sebelum membayar apa pun.",
                        ),
                        (
                            "Apakah melapor dipungut biaya?",
                            "Tidak. Melapor, bertanya dan mengikuti sesi Ngopi Pimpasa tidak dipungut biaya apa "
                            "pun.",
                        ),
                        (
                            "Apakah saya harus menyebutkan nama saat melapor?",
                            "Tidak. Anda boleh melapor tanpa nama. Namun, nama dan kontak membantu petugas "
                            "bertanya lebih lanjut bila diperlukan.",
                        ),
                        (
                            "Keluarga saya sudah terlanjur di luar negeri dan mendapat masalah. Apa yang harus "
                            "dilakukan?",
                            "Hubungi KBRI atau KJRI di negara tersebut, atau laporkan melalui portal Peduli WNI "
                            "Kementerian Luar Negeri. Anda juga dapat menghubungi KP2MI di 0800-1000 dari "
                            "Indonesia atau +62 21 2924 4800 dari luar negeri.",
                        ),
                        (
                            "Apa itu Ngopi Pimpasa?",
                            "Ngopi Pintar Bersama Petugas Imigrasi Pembina Desa: forum santai di RW tempat warga "
                            "belajar dan berdiskusi dengan petugas imigrasi.",
                        ),
                    ],
                ),
                contact("Pertanyaan Anda belum terjawab?"),
            ],
        },
        "en": {
            "title": "Questions and Answers on Safe Migration and Reporting",
            "slug": "questions-and-answers",
            "intro": "Short answers to the questions residents ask most often at Ngopi Pimpasa sessions.",
            "body": [
                faq(
                    "",
                    [
                        (
                            "Is working abroad forbidden?",
                            "No. Working abroad is every citizen's right. What is prevented is non-procedural "
                            "departure, because workers who leave outside the official route lose the state's "
                            "protection.",
                        ),
                        (
                            "May I leave on a tourist visa and look for work there?",
                            "No. Working on a visit visa breaks the destination country's law. You can be "
                            "detained or deported, and you are easy to exploit without a valid work contract.",
                        ),
                        (
                            "How much must I pay to work abroad?",
                            "Migrant workers may not be charged placement fees. For many jobs, such as domestic "
                            "workers and caregivers, these costs are borne by others. Ask the manpower office or "
                            "BP3MI for details before paying anything.",
                        ),
                        (
                            "Does reporting cost anything?",
                            "No. Reporting, asking questions and attending Ngopi Pimpasa sessions are free.",
                        ),
                        (
                            "Must I give my name when I report?",
                            "No. You may report anonymously. A name and contact details do help officers ask "
                            "follow-up questions if needed.",
                        ),
                        (
                            "A family member is already abroad and in trouble. What should we do?",
                            "Contact the Indonesian embassy or consulate in that country, or report through the "
                            "Foreign Ministry's Peduli WNI portal. You can also call KP2MI on 0800-1000 from "
                            "Indonesia or +62 21 2924 4800 from abroad.",
                        ),
                        (
                            "What is Ngopi Pimpasa?",
                            "Smart coffee talks with village-supervising immigration officers: a relaxed forum in "
                            "the neighbourhood where residents learn and talk with immigration officers.",
                        ),
                    ],
                ),
                contact("Question not answered?"),
            ],
        },
    },
]

CONTACT_SETTINGS = {
    "office_name": "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta",
    "office_address": "Kawasan Bandara Internasional Soekarno-Hatta\nKota Tangerang, Banten",
    "hotlines": [
        {
            "organisation": "KP2MI (Halo PMI, 24 jam)",
            "organisation_en": "KP2MI (Halo PMI, 24 hours)",
            "number": "0-800-1000",
            "toll_free": True,
        },
        {
            "organisation": "KP2MI dari luar negeri",
            "organisation_en": "KP2MI from abroad",
            "number": "+62 21 2924 4800",
            "toll_free": False,
        },
        {
            "organisation": "KP2MI (layanan WhatsApp)",
            "organisation_en": "KP2MI (WhatsApp service)",
            "number": "0811-8080-141",
            "whatsapp_only": True,
        },
        {
            "organisation": "Kemnaker",
            "organisation_en": "Kemnaker (Ministry of Manpower)",
            "number": "1500630",
            "toll_free": False,
        },
        {
            "organisation": "Polri (darurat)",
            "organisation_en": "Police (emergency)",
            "number": "110",
            "toll_free": True,
        },
    ],
    # Only what press sources confirm: no BP3MI street address or phone number is known, so the
    # entries say where to ask instead of guessing.
    "offices": [
        {
            "name": "Kementerian Pelindungan Pekerja Migran Indonesia (KP2MI), kantor pusat",
            "area": "Seluruh Indonesia",
            "area_en": "All of Indonesia",
            "location": "Jl. MT Haryono Kav. 52, Pancoran, Jakarta Selatan\n"
            "Kantor BP3MI atau P4MI terdekat dari tempat Anda: tanyakan lewat 0-800-1000 (bebas pulsa).",
            "location_en": "Jl. MT Haryono Kav. 52, Pancoran, Jakarta Selatan\n"
            "The BP3MI or P4MI office nearest to you: ask on 0-800-1000 (free call).",
            "phone": "0-800-1000",
            "website": "https://siskop2mi.bp2mi.go.id",
        },
        {
            "name": "Balai Pelayanan Pelindungan Pekerja Migran Indonesia (BP3MI) Banten",
            "area": "Provinsi Banten",
            "area_en": "Banten Province",
            "location": "Kantor utama: Kota Serang\n"
            "Pos Pelayanan: Kota Tangerang\n"
            "Pos kedatangan PMI (Lounge PMI): area perkantoran lantai 3, Terminal 3 "
            "Bandara Internasional Soekarno-Hatta\n"
            "Alamat lengkap dan telepon: tanyakan lewat 0-800-1000.",
            "location_en": "Main office: Kota Serang\n"
            "Service post: Kota Tangerang\n"
            "Arrival post for migrant workers (Lounge PMI): office area, 3rd floor, Terminal 3, "
            "Soekarno-Hatta International Airport\n"
            "Full address and phone: ask on 0-800-1000.",
        },
        {
            "name": "Balai Pelayanan Pelindungan Pekerja Migran Indonesia (BP3MI) DKI Jakarta",
            "area": "Provinsi DKI Jakarta",
            "area_en": "DKI Jakarta Province",
            "location": "Alamat dan telepon kantor: tanyakan lewat 0-800-1000.",
            "location_en": "Office address and phone: ask on 0-800-1000.",
            "website": "https://uptbp2mijakarta.id",
        },
    ],
}
