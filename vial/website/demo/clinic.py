"""The demo clinic itself: settings, clinicians, clinics, accreditations and search synonyms.

All names, registration numbers, street addresses, phone numbers and register numbers are invented
for the demo. Phone numbers use the unallocated 000 exchange; email addresses use the .example domain.
"""

from datetime import time

SETTINGS = {
    "name": "Vial Aesthetics",
    "motto": "Passion | Precision | Perfection",
    "region": "South West England",
    "phone": "01392 000 123",
    "email": "hello@vial-clinic.example",
}

CLINICIANS = [
    {
        "name": "Dr Helena Marsh",
        "role": "Medical director, aesthetic doctor and prescriber",
        "credentials": "MBChB, MRCGP",
        "regulator": "GMC",
        "registration_number": "7093418",
        "bio": (
            "Helena trained in Bristol and worked as a GP in Devon before moving into aesthetic and "
            "medical dermatology. She leads the clinic's prescribing and its care for heavy sweating and "
            "migraine. (An invented clinician for the demo.)"
        ),
    },
    {
        "name": "Dr Owen Pryce",
        "role": "Dentist and aesthetic practitioner",
        "credentials": "BDS, MJDF RCS",
        "regulator": "GDC",
        "registration_number": "214876",
        "bio": (
            "Owen is a dentist with a special interest in jaw pain, clenching and grinding. He looks after "
            "jaw and smile treatments and works closely with patients' own dentists. (Invented for the demo.)"
        ),
    },
    {
        "name": "Grace Trelawny",
        "role": "Nurse independent prescriber",
        "credentials": "RN, V300",
        "regulator": "NMC",
        "registration_number": "09A1234E",
        "bio": (
            "Grace spent ten years in plastic surgery and dermatology nursing in Cornwall. She runs the "
            "Truro clinic and the skin and filler service. (Invented for the demo.)"
        ),
    },
    {
        "name": "Ravi Desai",
        "role": "Pharmacist independent prescriber",
        "credentials": "MPharm, IP",
        "regulator": "GPhC",
        "registration_number": "2219876",
        "bio": (
            "Ravi is a prescribing pharmacist who checks every medicine we hold, from ordering to batch "
            "records, and sees patients at the Taunton clinic. (Invented for the demo.)"
        ),
    },
]

# Opening hours as (opens, closes) per weekday, Monday first; None means closed that day.
_WEEKDAYS = (time(9), time(17, 30))
LOCATIONS = [
    {
        "slug": "exeter",
        "title": "Exeter clinic",
        "intro": "Our main clinic, a short walk from the city centre, with a ground-floor treatment room.",
        "street_address": "2 Larkbeare Mews, Commercial Road",
        "town": "Exeter",
        "county": "Devon",
        "postcode": "EX2 4AD",
        "phone": "01392 000 123",
        "email": "exeter@vial-clinic.example",
        "latitude": "50.71692",
        "longitude": "-3.53018",
        "directions": (
            "Ten minutes' walk from Exeter Central station, or five from the bus station. Pay-and-display "
            "parking at the quay car park is two minutes away. The entrance and treatment rooms are step-free."
        ),
        "hours": [_WEEKDAYS, _WEEKDAYS, _WEEKDAYS, (time(9), time(20)), _WEEKDAYS, (time(9), time(13)), None],
    },
    {
        "slug": "taunton",
        "title": "Taunton clinic",
        "intro": "A quiet first-floor clinic by the river, open from Tuesday to Saturday.",
        "street_address": "5 Tonebridge Walk",
        "town": "Taunton",
        "county": "Somerset",
        "postcode": "TA1 1JR",
        "phone": "01823 000 456",
        "email": "taunton@vial-clinic.example",
        "latitude": "51.01582",
        "longitude": "-3.10341",
        "directions": (
            "Five minutes' walk from the town centre along the river path. The nearest car park is at the "
            "Brewhouse. There is a lift to the first floor; please tell us if you need help on arrival."
        ),
        "hours": [
            None,
            (time(10), time(17)),
            (time(10), time(17)),
            (time(10), time(19)),
            _WEEKDAYS,
            (time(9), time(14)),
            None,
        ],
    },
    {
        "slug": "truro",
        "title": "Truro clinic",
        "intro": "Our Cornwall clinic, open three days a week and run by our nurse prescriber.",
        "street_address": "Unit 3, Kenwyn Yard",
        "town": "Truro",
        "county": "Cornwall",
        "postcode": "TR1 3DR",
        "phone": "01872 000 789",
        "email": "truro@vial-clinic.example",
        "latitude": "50.26480",
        "longitude": "-5.05520",
        "directions": (
            "Up the hill from the cathedral, behind the library. Short-stay parking is in the yard; the "
            "park-and-ride buses stop two minutes away. Step-free throughout."
        ),
        "hours": [None, None, (time(9), time(17)), None, (time(9), time(17)), (time(10), time(15)), None],
    },
]

# Badges are generated from `badge` (a short label); links go to the real public register's home page.
ACCREDITATIONS = [
    {
        "name": "Registered with the Joint Council for Cosmetic Practitioners",
        "body": "JCCP",
        "kind": "accreditation",
        "register_number": "JC-20417",
        "url": "https://www.jccp.org.uk/",
        "year": 2019,
        "description": (
            "A voluntary register accredited by the Professional Standards Authority. Registered "
            "practitioners meet agreed standards of training, insurance and practice."
        ),
        "badge": "JCCP",
    },
    {
        "name": "Registered with the Care Quality Commission",
        "body": "Care Quality Commission",
        "kind": "accreditation",
        "register_number": "1-2039485761",
        "url": "https://www.cqc.org.uk/",
        "year": 2020,
        "description": (
            "Treating a medical condition, such as heavy sweating or chronic migraine, is a regulated "
            "activity. The CQC registers and inspects us to provide it."
        ),
        "badge": "CQC",
    },
    {
        "name": "Save Face accredited clinic",
        "body": "Save Face",
        "kind": "accreditation",
        "register_number": "SF-3381",
        "url": "https://www.saveface.co.uk/",
        "year": 2018,
        "description": (
            "Another register accredited by the Professional Standards Authority. Its assessors visit the "
            "clinic and check our premises, records and practitioners' qualifications."
        ),
        "badge": "SF",
    },
    {
        "name": "Member of the British College of Aesthetic Medicine",
        "body": "BCAM",
        "kind": "accreditation",
        "register_number": "M-1120",
        "url": "https://bcam.ac.uk/",
        "year": 2016,
        "description": "The professional body for doctors, dentists and nurses who practise aesthetic medicine.",
        "badge": "BCAM",
    },
    {
        "name": "Patient Service Award 2023",
        "body": "Clinic Finder UK",
        "kind": "award",
        "register_number": "",
        "url": "https://www.example.org/clinic-finder-awards/2023",
        "year": 2023,
        "description": (
            "Given by a clinic-comparison website to clinics its users rated highest for patient service: "
            "clear information, time to decide and kind aftercare. (The organiser is invented for the demo.)"
        ),
        "badge": "2023",
    },
]

# What patients type → the words our pages use. Phrases are lower-case, as search sees them.
SEARCH_SYNONYMS = {
    "sweat": "sweating hyperhidrosis",
    "sweaty": "sweating hyperhidrosis",
    "sweating": "hyperhidrosis underarm",
    "armpits": "underarm",
    "armpit": "underarm",
    "grinding": "masseter grinding clenching",
    "grind": "masseter grinding clenching",
    "clenching": "masseter grinding",
    "bruxism": "masseter grinding clenching",
    "headaches": "migraine",
    "headache": "migraine",
    "migraines": "migraine",
    "droopy": "nose tip",
    "hooked nose": "nose tip",
    "oily": "oily skin",
    "greasy": "oily skin",
    "shiny": "oily skin",
    "neck": "neck lines",
    "necklace lines": "neck lines",
    "crows feet": "crow's feet eyes",
    "frown": "frown lines glabellar",
    "11 lines": "frown lines glabellar",
    "gums": "gummy smile",
    "jowly": "jowls jawline",
    "lips": "filler lips",
    "botox": "wrinkles frown forehead crow's feet",  # the brand patients type; our pages name the problem
}
