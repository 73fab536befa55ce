"""Demo patients: a few hundred invented people who come back, so records have histories.

Names, addresses and GP practices are made up; phone numbers come from Ofcom's drama range and
e-mail addresses from a reserved domain, so no message can ever reach a real person.
"""

import random
from datetime import date

from django.utils import timezone

from .models import Patient
from .services import Details, find_or_create_patient

PATIENTS = 300
DOMAIN = "demo-patient.example"
FIRST_NAMES = [
    "Amelia", "Noah", "Isla", "Oliver", "Freya", "Jacob", "Poppy", "Harry", "Elsie", "Arthur", "Ruby", "Leo",
    "Tamsin", "Morwenna", "Jago", "Kerensa", "Demelza", "Piran", "Wenna", "Bryony", "Clemency", "Rhys",
]  # fmt: skip
SURNAMES = [
    "Penrose", "Hext", "Coombe", "Tremayne", "Vosper", "Luscombe", "Pascoe", "Yeo", "Chudleigh", "Rowe",
    "Trelawny", "Pengelly", "Bolitho", "Carne", "Kitto", "Nancarrow", "Rundle", "Hocking",
]  # fmt: skip
STREETS = ["Fore Street", "Mill Lane", "Quay Road", "Church Hill", "Station Road", "Harbour View", "Chapel Row"]
TOWNS = [("Exeter", "EX4"), ("Truro", "TR1"), ("Plymouth", "PL4"), ("Totnes", "TQ9"), ("Tiverton", "EX16")]
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # those used at the end of UK postcodes
GP_PRACTICES = ["Riverside Surgery", "Harbour Medical Centre", "Moorview Practice", "St Petroc's Surgery"]


def demo_details(n: int) -> Details:
    """The n-th demo patient (0 <= n < PATIENTS): the same person every time it is asked."""
    rng = random.Random(n)  # noqa: S311 - demo data, not security
    first, last = FIRST_NAMES[n % len(FIRST_NAMES)], SURNAMES[(n * 7) % len(SURNAMES)]
    return Details(
        name=f"{first} {last}",
        email=f"{first.lower()}.{last.lower()}.{n}@{DOMAIN}",
        phone=f"07700 900{n % 1000:03d}",
        date_of_birth=date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)),
    )


def load_demo_patients() -> int:
    """Create the demo patients (idempotent) with addresses, GPs and preferences; returns how many are new."""
    made = 0
    for n in range(PATIENTS):
        details = demo_details(n)
        before = Patient.objects.filter(email=details.email).exists()
        patient = find_or_create_patient(details, who="demo loader", channel="demo")
        if before:
            continue
        made += 1
        rng = random.Random(n)  # noqa: S311 - demo data, not security
        town, district = rng.choice(TOWNS)
        consent = rng.random() < 0.3
        Patient.objects.filter(pk=patient.pk).update(
            address=f"{rng.randint(1, 90)} {rng.choice(STREETS)}\n{town}",
            postcode=f"{district} {rng.randint(1, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}",
            gp_practice=rng.choice(GP_PRACTICES),
            care_by_sms=rng.random() < 0.4,
            marketing_consent=consent,
            marketing_consent_at=timezone.now() if consent else None,
            marketing_consent_how="online booking form" if consent else "",
        )
    return made
