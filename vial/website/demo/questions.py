"""The Q&A blog: patients' questions answered by the clinic's clinicians (invented for the demo).

`answer` holds StreamField blocks as (type, value) pairs. The published posts follow the advertising
rules: no brand names, and the generic medicine is named only where it explains, never beside a price.
DRAFT_POST is deliberately non-compliant and stays unpublished, so editors can see the warnings.
"""

from datetime import date

TOXIN_USES = [
    "frown-lines",
    "forehead-lines",
    "crows-feet",
    "underarm-sweating",
    "oily-skin",
    "nose-tip-lift",
    "jaw-slimming-and-teeth-grinding",
    "jowls",
    "neck-lines",
    "migraine",
]


def p(text: str) -> tuple[str, str]:
    return ("paragraph", f"<p>{text}</p>")


def h(text: str) -> tuple[str, str]:
    return ("heading", text)


QUESTIONS = [
    {
        "slug": "beyond-wrinkles-medical-uses",
        "title": "Beyond wrinkles: the medical uses of a prescription medicine",
        "question": "Besides relaxing wrinkles, does botulinum toxin have any medical uses?",
        "summary": (
            "Yes. The same prescription-only medicine is used for heavy sweating, oily skin, a drooping nose "
            "tip, jaw clenching, neck bands and chronic migraine, always after a consultation."
        ),
        "date": date(2017, 8, 24),
        "author": "Dr Helena Marsh",
        "tags": ["medical uses", "sweating", "migraine", "jawline", "neck", "off-label"],
        "related": TOXIN_USES,
        "answer": [
            p(
                "Most people know botulinum toxin type A, a prescription-only medicine, for softening the lines "
                "that come from frowning, raising the brows and smiling. That is still its best-known use in "
                "aesthetic clinics. But because it relaxes overactive muscles and quietens certain nerve "
                "signals wherever it is placed, doctors use it for a surprising range of problems. Here are "
                "the ones we are asked about most. Each begins with a consultation, where a prescriber decides "
                "whether it suits you."
            ),
            h("Heavy sweating (hyperhidrosis)"),
            p(
                "Some people sweat far more than the body needs to keep cool, and it can be embarrassing and "
                "isolating. Tiny amounts placed across the armpit in a grid pattern block the nerve message "
                "that switches on the sweat glands. Most people notice a difference within a week, and relief "
                "typically lasts around six months, until new nerve endings grow and the sweating returns."
            ),
            h("Oily skin and acne"),
            p(
                "Very small, very shallow doses can reduce the oil the skin makes while leaving expression "
                "alone. The forehead is where this works best. We do not treat the whole face this way, "
                "because the muscles of expression sit just under the skin and the result could look frozen."
            ),
            h("A drooping nose tip"),
            p(
                "From about our forties the tip of the nose can dip, making the nose look longer or more hooked. "
                "One small injection at the base of the nose, between the nostrils, relaxes the little muscle "
                "that pulls the tip down. It takes about ten minutes and can lift the look of the whole face."
            ),
            h("The jaw: clenching, grinding and a wide jawline"),
            p(
                "Clenching and grinding work the masseter muscles hard, and like any exercised muscle they grow, "
                "squaring off the jaw. Treating them lets the muscle shrink, slimming the jawline and sometimes "
                "making the cheeks look lifted. It can also ease the aching and soreness that grinding causes. "
                "The effect lasts several months, and often longer with repeat treatments."
            ),
            h("Jowls"),
            p(
                "Small amounts along the jawline ease the downward pull of the neck muscle and help to sharpen "
                "the line of the jaw."
            ),
            h("Neck lines and bands"),
            p(
                "The horizontal necklace lines can be softened with tiny amounts placed just above and below "
                "each line, all the way round the neck. Relaxing the upright bands helps too: the neck muscle "
                "joins the surface muscles of the face and drags features downward, so easing it gives a "
                "subtle lift."
            ),
            h("Migraine"),
            p(
                "Nobody is completely sure how it helps migraine; it may block pain signals and relax tense "
                "muscles of the head. It is given across the forehead, temples and scalp, and often the back of "
                "the neck, for people with frequent attacks that the usual migraine medicines have not "
                "controlled."
            ),
            h("Side effects"),
            p(
                "Like any medicine it can have side effects. Most are mild and short-lived: bruising, a brief "
                "headache, or a heavy, frozen feeling in the forehead if a dose is too strong for you. A careful "
                "assessment, a cautious first dose and a review appointment keep these to a minimum."
            ),
            (
                "callout",
                {
                    "title": "Reviewed in 2025",
                    "text": (
                        "We have updated this answer since it first appeared. Upper-face lines, underarm sweating "
                        "and chronic migraine are licensed uses in the UK. The nose, jaw, jowl, neck and oily-skin "
                        "uses are off-label, and your prescriber will explain what that means before you decide."
                    ),
                },
            ),
            p(
                "If one of these problems sounds familiar, book a consultation. We will listen, examine you, "
                "explain every option (including doing nothing) and give you time to think it over."
            ),
        ],
        "faqs": [
            (
                "Is it the same medicine for lines and for sweating?",
                "The active ingredient is the same, but the dose, the depth and the places it goes are quite "
                "different. Your prescriber chooses what suits your problem.",
            ),
            (
                "Does the sweating treatment need repeating?",
                "Yes, usually every four to seven months, and never sooner than 16 weeks apart.",
            ),
        ],
    },
    {
        "slug": "how-long-before-results-show",
        "title": "How long before my results show?",
        "question": "I had my treatment three days ago and I can't see much difference yet. Is that normal?",
        "summary": (
            "Usually, yes. Treatments that relax muscles start to work within 2 to 5 days and reach their "
            "full effect at about two weeks; some take longer."
        ),
        "date": date(2019, 5, 14),
        "author": "Grace Trelawny",
        "tags": ["results", "aftercare"],
        "related": [
            "frown-lines",
            "forehead-lines",
            "crows-feet",
            "underarm-sweating",
            "jaw-slimming-and-teeth-grinding",
            "migraine",
        ],
        "answer": [
            p(
                "Yes, that is quite normal. These medicines work on the link between nerve and muscle, and that "
                "takes a few days to build up. Most people notice the first change after two to five days, "
                "with the full effect at around two weeks. That is why we book your review then, not sooner."
            ),
            h("What to expect, treatment by treatment"),
            (
                "paragraph",
                "<ul>"
                "<li>Frown lines, forehead lines and crow's feet: first changes in 2 to 5 days, fully settled "
                "by about two weeks.</li>"
                "<li>Underarm sweating: usually within a week.</li>"
                "<li>Jaw clenching and grinding: easing from about four weeks, at its best after 8 to 12 weeks "
                "as the muscle slims.</li>"
                "<li>Chronic migraine: judged over two courses, 12 weeks apart, using your headache diary.</li>"
                "<li>Dermal filler: visible straight away, settling over about two weeks as swelling goes "
                "down.</li>"
                "<li>Skin peels: a few days, once any flaking has finished.</li>"
                "</ul>",
            ),
            h("When to call us"),
            p(
                "If nothing has changed after two weeks, let us know and we will see you. Call us straight away, "
                "or call 111, if you notice trouble swallowing, speaking or breathing, a drooping eyelid, or "
                "blurred or double vision. These are rare, and can appear up to four weeks after treatment. We "
                "report suspected side effects to the MHRA Yellow Card scheme, and you can report them too."
            ),
        ],
        "faqs": [
            (
                "Can I have a top-up before two weeks?",
                "Please wait for your review. Adding more before the first dose has settled makes the result "
                "hard to judge and raises the risk of side effects.",
            ),
        ],
    },
    {
        "slug": "treatment-while-pregnant-or-breastfeeding",
        "title": "Can I have treatment while pregnant or breastfeeding?",
        "question": "I've just found out I'm pregnant and my next appointment is next month. Is it safe to go ahead?",
        "summary": (
            "No. We pause prescription-only and filler treatments during pregnancy and breastfeeding, and "
            "happily pick up again once you have finished."
        ),
        "date": date(2020, 2, 3),
        "author": "Dr Helena Marsh",
        "tags": ["pregnancy", "safety"],
        "related": [
            "frown-lines",
            "forehead-lines",
            "crows-feet",
            "underarm-sweating",
            "migraine",
            "dermal-filler",
            "skin-peel",
        ],
        "answer": [
            p("Congratulations! The short answer is no: please wait, and we will move your appointment for you."),
            p(
                "There is not enough research to show that these medicines are safe for an unborn or "
                "breastfed baby, and the product information advises against using them. We also pause "
                "fillers and stronger peels: pregnancy hormones change the skin and fluid balance, so results "
                "are unpredictable and the risks are not worth taking."
            ),
            h("If you were treated before you knew"),
            p(
                "Try not to worry. Tell your midwife or GP which treatment you had and when, and let us know "
                "too, so it is in your record and we can answer any questions they have."
            ),
            h("When can I start again?"),
            p(
                "Once you have stopped breastfeeding. Your health may have changed, so we will go through your "
                "medical history again before any treatment."
            ),
            h("Heavy sweating or migraine during pregnancy"),
            p("Talk to your midwife or GP. There are other ways to manage both that are suitable in pregnancy."),
        ],
        "faqs": [
            (
                "Can I have a facial or peel while pregnant?",
                "Some very gentle facials are fine, but we avoid chemical peels with salicylic acid or stronger "
                "acids during pregnancy and breastfeeding.",
            ),
        ],
    },
    {
        "slug": "what-happens-at-a-consultation",
        "title": "What happens at a consultation?",
        "question": (
            "I'd like to book, but I'm nervous. What actually happens at a consultation, and do I have to "
            "decide on the day?"
        ),
        "summary": (
            "An unhurried, face-to-face conversation and examination with a prescriber. You never have to "
            "decide on the day."
        ),
        "date": date(2021, 9, 20),
        "author": "Ravi Desai",
        "tags": ["consultation", "first visit", "safety"],
        "related": ["frown-lines", "underarm-sweating", "migraine", "jaw-slimming-and-teeth-grinding", "dermal-filler"],
        "answer": [
            h("Before you arrive"),
            p(
                "We send a short medical history form to fill in at home. Please bring photo ID: the law forbids "
                "these treatments for anyone under 18, so we check and record the age of everyone we see."
            ),
            h("In the room"),
            p(
                "You see a prescriber in person: a doctor, dentist, or nurse or pharmacist prescriber. They ask "
                "what bothers you and what you hope for, look at the area, and go through your health, "
                "medicines and allergies. They then explain your options, including no treatment at all, "
                "whether a use is licensed or off-label, the likely results, the risks and the costs."
            ),
            h("Time to think"),
            p(
                "You do not have to decide there and then, and for some treatments we prefer that you don't. If "
                "you go ahead, you sign a consent form that sets out what we discussed, and you can still change "
                "your mind at any point before treatment."
            ),
            h("Afterwards"),
            p(
                "You leave with written aftercare advice and a review appointment, usually at two weeks. When "
                "your treatment is due to wear off we can send a reminder, if you would like one."
            ),
        ],
        "faqs": [
            (
                "How long does a consultation take?",
                "Allow 30 to 45 minutes. Medical consultations, for sweating or migraine, can take a little longer.",
            ),
            (
                "Can I bring someone with me?",
                "Yes, you are welcome to bring a friend or relative, and you can ask for a chaperone at any time.",
            ),
        ],
    },
    {
        "slug": "why-we-do-not-treat-under-18s",
        "title": "Why won't you treat under-18s?",
        "question": "My daughter is 17 and wants lip filler for a family wedding. I'll consent. Can you treat her?",
        "summary": (
            "No. Since October 2021 the law in England forbids cosmetic filler and muscle-relaxing treatments "
            "for anyone under 18, even with a parent's consent."
        ),
        "date": date(2022, 10, 3),
        "author": "Dr Owen Pryce",
        "tags": ["under-18s", "safety", "the law"],
        "related": ["dermal-filler", "frown-lines"],
        "answer": [
            p(
                "We understand why she wants to look her best, but we cannot. Since 1 October 2021 it has been an "
                "offence in England to give anyone under 18 cosmetic filler or botulinum toxin for cosmetic "
                "reasons, or even to book them in for it. A parent's consent does not change that."
            ),
            h("How we check age"),
            p(
                "We ask for photo ID from anyone who looks under 25, record the date of birth and the check we "
                "made, and politely decline if we cannot confirm someone is 18 or over."
            ),
            h("What about medical needs?"),
            p(
                "The law still allows treatment for a genuine medical need, approved and overseen by a doctor. "
                "That is a matter for the young person's own medical team."
            ),
            h("For the big day"),
            p(
                "A good skincare routine in the weeks before, and a make-up artist on the day, make a real "
                "difference. We are glad to offer skincare advice at no charge."
            ),
        ],
        "faqs": [
            (
                "Does this apply to skin peels?",
                "The 2021 law covers filler and toxin. We also do not offer cosmetic peels to under-18s; a GP or "
                "dermatologist is the right person to see for problem skin at that age.",
            ),
        ],
    },
]

# Never publish: every sentence here breaks the advertising rules, on purpose.
DRAFT_POST = {
    "slug": "summer-offer-draft",
    "title": "Summer offer: Botox from £150!",
    "question": "Is Botox cheaper in the summer?",
    "summary": "Our Beautox summer deal: wrinkle-relaxing injections from £150. #botox",
    "date": date(2025, 6, 1),
    "author": "Dr Helena Marsh",
    "tags": ["offers"],
    "related": ["frown-lines", "underarm-sweating"],
    "answer": [
        p(
            "Book Botox from £150 this summer! Our wrinkle-relaxing injections and anti-wrinkle injections "
            "from £150 are the best value in Devon. Ask about injections for excessive sweating too. "
            "#botox #beautox"
        ),
        (
            "callout",
            {
                "title": "Demo draft: do not publish",
                "text": (
                    "This draft breaks UK advertising rules for prescription-only medicines on purpose, so "
                    "editors can see the compliance warnings."
                ),
            },
        ),
    ],
    "faqs": [],
}
