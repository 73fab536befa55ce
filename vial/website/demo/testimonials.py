"""Patient reviews for the demo (invented). First name and town only; no product names in any quote.

`treatment` is a treatment slug or None for a review of the clinic as a whole. Every review records
consent except the last, which must never appear on the public site.
"""

from datetime import date

TESTIMONIALS = [
    {
        "author_name": "Emma, Exeter",
        "rating": 5,
        "treatment": "underarm-sweating",
        "date": date(2024, 6, 12),
        "quote": (
            "I had stopped wearing light colours because of the marks. They checked my thyroid before "
            "anything else, explained every step, and a week later I wore a grey top to work. Life-changing."
        ),
    },
    {
        "author_name": "James, Taunton",
        "rating": 5,
        "treatment": "jaw-slimming-and-teeth-grinding",
        "date": date(2024, 3, 2),
        "quote": (
            "My dentist said I was wearing my teeth down from clenching. Dr Pryce talked me through the "
            "options, including a night guard, and after a few weeks my morning jaw ache had gone."
        ),
    },
    {
        "author_name": "Priya, Truro",
        "rating": 4,
        "treatment": "migraine",
        "date": date(2023, 11, 20),
        "quote": (
            "After years of tablets that barely helped, my headache days have roughly halved. They were "
            "clear it would take two rounds to know, and they were right. Parking can be fiddly."
        ),
    },
    {
        "author_name": "Helen, Exeter",
        "rating": 5,
        "treatment": "frown-lines",
        "date": date(2024, 9, 18),
        "quote": (
            "I no longer look cross in photos. Very natural, nobody has guessed, and the two-week check-up "
            "made me feel properly looked after."
        ),
    },
    {
        "author_name": "Mark, Exeter",
        "rating": 3,
        "treatment": "forehead-lines",
        "date": date(2023, 5, 7),
        "quote": (
            "Good result in the end, but my brows felt heavy for the first fortnight. They sorted it at the "
            "review. I wish I had taken in that possibility more at the consultation."
        ),
    },
    {
        "author_name": "Sophie, Taunton",
        "rating": 5,
        "treatment": "crows-feet",
        "date": date(2025, 2, 14),
        "quote": (
            "Friendly, calm and never pushy. The lines by my eyes are much softer and I still look like me "
            "when I laugh."
        ),
    },
    {
        "author_name": "Lucy, Exeter",
        "rating": 4,
        "treatment": "oily-skin",
        "date": date(2024, 10, 3),
        "quote": (
            "My forehead stays matte for most of the day now. Not a miracle for my spots, but there are "
            "definitely fewer, and they were honest that it would not cure them."
        ),
    },
    {
        "author_name": "Claire, Truro",
        "rating": 5,
        "treatment": "nose-tip-lift",
        "date": date(2024, 5, 21),
        "quote": (
            "Such a small change but it lifts my whole face. Grace explained exactly what it could and "
            "could not do, and it took minutes."
        ),
    },
    {
        "author_name": "Anna, Taunton",
        "rating": 4,
        "treatment": "neck-lines",
        "date": date(2025, 1, 9),
        "quote": (
            "The lines around my neck are softer and the cords show less when I talk. Subtle rather than "
            "dramatic, which is what I wanted."
        ),
    },
    {
        "author_name": "Rachel, Exeter",
        "rating": 5,
        "treatment": "dermal-filler",
        "date": date(2023, 8, 30),
        "quote": (
            "I was nervous about looking overdone. We went slowly over two visits and I just look less "
            "tired. Friends say I look well rested."
        ),
    },
    {
        "author_name": "Tom, Taunton",
        "rating": 3,
        "treatment": "skin-peel",
        "date": date(2024, 2, 11),
        "quote": (
            "My skin is brighter after the course, though the flaking after the second peel was more than I "
            "expected before a work event. Honest advice throughout."
        ),
    },
    {
        "author_name": "Grace, Exeter",
        "rating": 5,
        "treatment": None,
        "date": date(2022, 12, 5),
        "quote": (
            "From the first phone call to the follow-up, nobody rushed me or sold me anything. They even "
            "told me one treatment was not right for me, and why."
        ),
    },
    {
        "author_name": "Joanne, Truro",
        "rating": 5,
        "treatment": "jowls",
        "date": date(2025, 3, 22),
        "quote": (
            "My jawline looks crisper and I did not need anything drastic. Lovely clinic, easy to reach "
            "from the park-and-ride."
        ),
    },
    {
        "author_name": "Nadia, Exeter",
        "rating": 4,
        "treatment": "gummy-smile",
        "date": date(2024, 7, 15),
        "quote": ("I smile in photos again. My lip felt a bit stiff for a week, as they warned, then settled nicely."),
    },
]

# Published, but the patient did not agree to the website: the public site must never show it.
NO_CONSENT_TESTIMONIAL = {
    "author_name": "Karen, Exeter",
    "rating": 5,
    "treatment": "underarm-sweating",
    "date": date(2025, 4, 1),
    "quote": "Wonderful care and a real difference to my confidence. (Given on a paper form without website consent.)",
}
