"""The fixed pages of the demo site: home, section pages, privacy notice and complaints procedure.

Each section is (model label, slug, title, fields). `body` values are StreamField blocks as pairs.
The home page names problems and consultations only: no medicine is mentioned there at all.
"""

from .questions import h, p

HOME = {
    "title": "Home",
    "slug": "home",
    "intro": (
        "Expert medical and aesthetic care from doctors, dentists and prescribing nurses and pharmacists "
        "across the South West. Every treatment starts with an unhurried, in-person consultation."
    ),
    "body": [
        h("Care that starts with a conversation"),
        p(
            "Tell us what bothers you, in your own words. A clinician will see you in person, explain every "
            "option, including doing nothing, and give you time to decide. We treat adults only and check "
            "ID for everyone."
        ),
        (
            "callout",
            {
                "title": "Heavy sweating or chronic migraine?",
                "text": (
                    "These are medical conditions, and we are registered with the Care Quality Commission to "
                    "treat them. Book a consultation and bring any notes from your GP."
                ),
            },
        ),
    ],
}

# (app label.model, slug, title, show_in_menus, fields)
SECTIONS = [
    (
        "website.TreatmentIndexPage",
        "treatments",
        "Treatments",
        True,
        {
            "intro": (
                "Find the problem that brings you here. Each page explains how a treatment works, how long it "
                "lasts, who it is not for, and what happens at your consultation."
            )
        },
    ),
    (
        "website.QuestionIndexPage",
        "questions",
        "Questions answered",
        True,
        {"intro": "Real questions from patients, answered by our clinicians in plain words."},
    ),
    (
        "website.TestimonialIndexPage",
        "reviews",
        "Patient reviews",
        True,
        {
            "intro": (
                "What our patients say, published only with their written permission. We show every review we "
                "are allowed to, not just the glowing ones."
            )
        },
    ),
    (
        "website.AccreditationsPage",
        "accreditations",
        "Accreditations and awards",
        True,
        {
            "intro": (
                "The registers we belong to and the regulator we answer to. Each entry has a number you can "
                "check on the register's own website."
            )
        },
    ),
    (
        "website.LocationIndexPage",
        "clinics",
        "Our clinics",
        True,
        {"intro": "Three clinics across Devon, Somerset and Cornwall, each with step-free access."},
    ),
    (
        "enquiries.ContactPage",
        "contact",
        "Contact us",
        True,
        {
            "intro": (
                "Ask a question or request a consultation. Please do not send detailed medical information "
                "here; we will ask for what we need securely before your visit."
            ),
            "thank_you": "Thank you. We have your message and will reply within two working days.",
        },
    ),
    (
        "website.StandardPage",
        "privacy",
        "Privacy notice",
        False,
        {
            "intro": "How we look after your personal and health information, and the choices you have.",
            "body": [
                h("Who we are"),
                p(
                    "Vial Aesthetics is the data controller for the information in this notice. If you have a "
                    "question about your data, write to our data protection lead at privacy@vial-clinic.example "
                    "or to any of our clinics."
                ),
                h("What we hold"),
                p(
                    "Your contact details; your date of birth and a note of the ID we checked; your medical "
                    "history, consent forms and clinical photographs; a record of each treatment, including "
                    "the product, its batch and where it was given; and payments. If you use our contact "
                    "form, we keep your message."
                ),
                h("Why the law allows us to use it"),
                p(
                    "Information about your health is special-category data under the UK GDPR. We use it to "
                    "provide your care, which Article 9(2)(h) and Schedule 1 of the Data Protection Act 2018 "
                    "allow, and to meet our legal duties as a healthcare provider, such as keeping records and "
                    "reporting suspected side effects."
                ),
                p(
                    "Marketing is separate from your care. We send offers or newsletters only if you have "
                    "opted in to them, on their own, and you can opt out at any time. Saying no never affects "
                    "your treatment, and reminders that a review or treatment is due are part of your care, not "
                    "marketing."
                ),
                h("Who we share it with"),
                p(
                    "Your GP, only with your agreement or where your safety requires it; regulators and the "
                    "MHRA Yellow Card scheme when the law requires; and the companies that host our systems, "
                    "under contract and within the UK. We never sell your information."
                ),
                h("How long we keep it"),
                p(
                    "Clinical records for adults are kept for 8 years after your last treatment, following the "
                    "NHS records management code, and longer if there has been an incident. Enquiries that do "
                    "not lead to an appointment are deleted after 12 months. Marketing preferences are kept "
                    "until you withdraw them."
                ),
                h("Your rights"),
                p(
                    "You can ask for a copy of the information we hold about you, and we will reply within one "
                    "month, free of charge. You can ask us to correct it, object to how we use it, or ask us to "
                    "delete it. We can delete marketing and other non-clinical information, but we must keep "
                    "medical records for the period above; we can restrict their use instead. If you are not "
                    "happy with how we handle your data, you can complain to the Information Commissioner's "
                    "Office (ico.org.uk)."
                ),
                h("Cookies"),
                p(
                    "This website sets only the cookies it needs to work: one that protects our forms and, for "
                    "staff, one that keeps them signed in. We use no tracking, advertising or analytics cookies, "
                    "so there is nothing to accept or decline."
                ),
            ],
        },
    ),
    (
        "website.StandardPage",
        "complaints",
        "Complaints procedure",
        False,
        {
            "intro": "If something has gone wrong, we want to hear about it and put it right.",
            "body": [
                h("How to raise a concern"),
                p(
                    "Speak to any member of staff, call your clinic, or write to the practice manager at "
                    "complaints@vial-clinic.example. You can complain on someone else's behalf with their "
                    "permission. Raising a concern never affects your care."
                ),
                h("What happens next"),
                p(
                    "We will acknowledge your complaint within 3 working days and tell you who is looking into "
                    "it. We aim to send you a full written reply within 20 working days. If we need longer, we "
                    "will explain why and give you a new date. Concerns about clinical care are reviewed by our "
                    "medical director."
                ),
                h("If you are not satisfied"),
                p(
                    "You can ask for your complaint to be reviewed by the register we belong to, which has its "
                    "own complaints process. Concerns about an individual clinician's fitness to practise can "
                    "go to their regulator: the General Medical Council, the General Dental Council, the Nursing "
                    "and Midwifery Council or the General Pharmaceutical Council."
                ),
                p(
                    "The Care Quality Commission does not settle individual complaints, but it wants to hear "
                    "about the care you received for medical conditions such as heavy sweating or migraine. "
                    "Concerns about how we use your data can go to the Information Commissioner's Office, and "
                    "concerns about our advertising to the Advertising Standards Authority."
                ),
            ],
        },
    ),
]
