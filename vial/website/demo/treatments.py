"""The treatment catalogue as structured facts, written for patients in plain words.

Advertising rules for prescription-only medicines apply to every string here: no brand names, no
look-alikes, and nothing that promotes the medicine itself. Pages talk about the problem and the
consultation; "a prescription-only medicine" is as far as product wording goes.

Line-list fields (phrases, areas, side effects, not suitable for) are Python lists; the loader joins
them one per line. `how_it_works` is a list of paragraphs; `faqs` a list of (question, answer) pairs.
"""

from datetime import date

# Common after any treatment with a prescription-only muscle-relaxing medicine.
MEDICINE_SIDE_EFFECTS = [
    "Small red marks, tenderness or a bruise where the needle went in, gone within a few days",
    "A mild headache on the first day or two",
]

# Screening list from the product information; the consultation goes through each one.
MEDICINE_NOT_SUITABLE = [
    "Anyone under 18",
    "Pregnancy, trying for a baby, or breastfeeding",
    "Allergy to the medicine or anything in it, such as human albumin (or lactose, in some products)",
    "Myasthenia gravis, Lambert-Eaton syndrome, motor neurone disease (ALS) or another nerve-muscle condition",
    "An infection or inflamed skin where the treatment would go",
    "Taking aminoglycoside antibiotics (such as gentamicin) or spectinomycin",
    "A treatment with a similar medicine, of any brand, in recent months (tell us the date)",
    "Past trouble swallowing, or food and drink going down the wrong way (aspiration)",
    "A bleeding disorder, or blood thinners such as warfarin, unless your prescriber agrees it is safe",
    "People over 65, for some products: your prescriber will choose one licensed for your age",
]
FACE_NOT_SUITABLE = [
    *MEDICINE_NOT_SUITABLE,
    "Previous surgery to the face near the area, until your prescriber has reviewed it",
]

OFF_LABEL_NOTE = (
    "This is an off-label use: the medicine is not licensed for it in the UK, although it is widely used "
    "this way. Your prescriber will explain what that means for you before you decide."
)
LICENSED_NOTE = "This is a licensed use of the medicine in the UK."

# Lines of the upper face share their timing, review and repeat interval.
UPPER_FACE_TIMING = {
    "onset": "starts within 2 to 5 days, at its best after about two weeks",
    "onset_days_max": 14,
    "duration_months_min": 3,
    "duration_months_max": 4,
    "min_retreatment_days": 90,
}


def medicine_treatment(**facts) -> dict:
    """Defaults for a treatment that uses a prescription-only medicine."""
    return {
        "category": "aesthetic",
        "prescription_only": True,
        "consultation_required": True,
        "licence": "off_label",
        "min_retreatment_days": 90,
        "reviewed_on": date(2025, 3, 10),
        "reviewed_by": "Dr Helena Marsh",
        **facts,
        "side_effects": [*MEDICINE_SIDE_EFFECTS, *facts.get("side_effects", [])],
    }


def clinic_treatment(**facts) -> dict:
    """Defaults for a treatment that uses no medicine (a device or a skin product), still after a consultation."""
    return {
        "category": "aesthetic",
        "prescription_only": False,
        "consultation_required": True,
        "licence": "not_medicine",
        "min_retreatment_days": None,
        "reviewed_on": date(2025, 2, 3),
        "reviewed_by": "Grace Trelawny",
        **facts,
    }


TREATMENTS = [
    medicine_treatment(
        slug="frown-lines",
        title="Frown lines",
        patient_problem="People keep asking if I'm cross, but I'm not",
        patient_phrases=[
            "the 11 lines between my eyebrows",
            "frown lines",
            "a deep line between my brows",
            "I look angry or tired all the time",
            "furrowed brow",
            "glabellar lines",
            "lines between my eyes",
        ],
        summary=(
            "Softening the upright lines between the eyebrows that make a face look stern or worried, "
            "after an in-person consultation with a prescriber."
        ),
        areas=["Between the eyebrows"],
        how_it_works=[
            "Two small muscles draw the eyebrows together and down whenever you frown or concentrate. "
            "After years of this the skin above them creases along the same folds, so the lines stay "
            "even when your face is at rest.",
            "If your prescriber agrees it suits you, tiny amounts of a prescription-only medicine go into "
            "those muscles. It quietens the nerve signal that makes them pull hard, so the skin above can "
            "smooth out. Your brows still move: the aim is a rested look, not a fixed one.",
            LICENSED_NOTE,
        ],
        injection_sites="Usually five tiny points: one in the middle between the brows and two along each brow.",
        procedure_minutes=20,
        licence="licensed",
        **UPPER_FACE_TIMING,
        side_effects=[
            "A heavy feeling in the brow for a week or two",
            "Rarely, a drooping upper eyelid that lasts a few weeks",
        ],
        not_suitable_for=FACE_NOT_SUITABLE,
        faqs=[
            (
                "Will I still be able to frown?",
                "A little. We soften the strongest pull and keep natural movement. If you would like more "
                "or less effect next time, we adjust the dose.",
            ),
            (
                "Can I exercise or wear make-up afterwards?",
                "Skip hard exercise, saunas and lying flat for the rest of the day, and do not rub the area. "
                "Make-up can usually go back on after a few hours.",
            ),
            (
                "Why do you see me again at two weeks?",
                "By then the effect has fully settled, so it is the right moment to check the result and "
                "make any small adjustment.",
            ),
        ],
    ),
    medicine_treatment(
        slug="forehead-lines",
        title="Forehead lines",
        patient_problem="I've got deep lines across my forehead that stay even when I relax",
        patient_phrases=[
            "lines across my forehead",
            "horizontal forehead lines",
            "wrinkly forehead",
            "worry lines",
            "forehead creases",
            "my foundation sits in the lines on my forehead",
        ],
        summary=(
            "Easing the horizontal lines across the forehead while leaving your eyebrows free to move, "
            "after a consultation with a prescriber."
        ),
        areas=["Forehead"],
        how_it_works=[
            "A broad, flat muscle across the forehead lifts the eyebrows every time you look surprised or "
            "open your eyes wide. Its constant work folds the skin into horizontal lines.",
            "Small, spaced-out amounts of a prescription-only medicine reduce how strongly that muscle "
            "lifts. The same muscle also holds the brows up, so we treat it lightly and often together with "
            "the frown area, which stops the brows from feeling heavy.",
            LICENSED_NOTE,
        ],
        injection_sites="About five small points across the forehead, kept roughly 2 cm above the eyebrows.",
        procedure_minutes=20,
        licence="licensed",
        **UPPER_FACE_TIMING,
        side_effects=[
            "A heavy or tight forehead for a week or two",
            "A 'frozen' look if the dose is too strong for you, which is why we start cautiously",
            "Lower-sitting brows or a raised outer brow, corrected at your review",
        ],
        not_suitable_for=FACE_NOT_SUITABLE,
        faqs=[
            (
                "Will my forehead look frozen?",
                "Not if it is planned well. A modest dose spread across the muscle keeps some lift and "
                "expression. We would rather add a little at your review than overdo it.",
            ),
            (
                "Can you treat only my forehead?",
                "Sometimes, but treating the forehead alone can let the brows drop. Your prescriber will "
                "explain whether including the frown muscles gives a more balanced result.",
            ),
        ],
    ),
    medicine_treatment(
        slug="crows-feet",
        title="Crow's feet",
        patient_problem="When I smile, lines fan out from the corners of my eyes",
        patient_phrases=[
            "lines around my eyes",
            "crows feet",
            "laughter lines by my eyes",
            "crinkles when I smile",
            "lines at the corners of my eyes",
            "smile lines around the eyes",
        ],
        summary=(
            "Softening the fan of lines at the outer corners of the eyes, so a smile looks fresh rather "
            "than tired, after a prescriber consultation."
        ),
        areas=["Outer corners of the eyes"],
        how_it_works=[
            "A ring of muscle around each eye closes it and bunches up the outer corner whenever you smile "
            "or squint. The skin there is thin, so it creases easily, and sun and age deepen the lines.",
            "Tiny amounts of a prescription-only medicine at the outer edge of that muscle relax the part "
            "that crinkles the skin. The eye still closes normally and your smile still reaches your eyes.",
            LICENSED_NOTE,
        ],
        injection_sites="About three small points fanning out at the outer corner of each eye, well away from the eye.",
        procedure_minutes=15,
        licence="licensed",
        **UPPER_FACE_TIMING,
        side_effects=[
            "Bruising is a little more likely here because the skin is thin",
            "Rarely, a dry or watery eye, or a change to the smile for a few weeks",
        ],
        not_suitable_for=FACE_NOT_SUITABLE,
        faqs=[
            (
                "Will my smile look different?",
                "It should look like your smile with fewer fine creases beside the eyes. Small doses mean "
                "the cheeks still lift when you smile.",
            ),
            (
                "Does it help the lines under my eyes?",
                "It helps the lines that fan outwards. Hollows or crepey skin directly under the eye "
                "usually need a different approach, which we can talk through at your consultation.",
            ),
        ],
    ),
    medicine_treatment(
        slug="underarm-sweating",
        title="Excessive underarm sweating",
        patient_problem="I sweat through my clothes even when I'm cool and calm",
        patient_phrases=[
            "I sweat too much",
            "sweaty armpits",
            "sweat patches under my arms",
            "I change my top twice a day",
            "antiperspirant doesn't work for me",
            "scared to lift my arms",
            "excessive sweating",
            "hyperhidrosis",
            "wet underarms",
            "heavy sweating",
        ],
        summary=(
            "A medical treatment for heavy underarm sweating that strong antiperspirants have not "
            "controlled. It starts with a consultation that checks for any underlying cause."
        ),
        category="medical",
        areas=["Underarms (armpits)"],
        how_it_works=[
            "The sweat glands in the armpit (eccrine glands) only release sweat when a nerve tells them to. "
            "In primary hyperhidrosis those signals run far beyond what the body needs for cooling. It can "
            "be distressing: damp clothes, stains, and avoiding handshakes or raising your arms.",
            "At your consultation we first look for other causes of heavy sweating, such as an overactive "
            "thyroid or a medicine you take. If treatment is right for you, a prescription-only medicine "
            "is placed just under the skin across the sweating area. It blocks the chemical message from "
            "nerve to gland, so the glands make far less sweat.",
            "Over the following months new nerve endings grow and sweating slowly returns; then the "
            "treatment can be repeated. This is a licensed use, and treating a medical condition like this "
            "is a service we are registered with the Care Quality Commission to provide.",
        ],
        injection_sites=(
            "A grid of very shallow injections, about 1 to 2 cm apart, across the sweating area of each "
            "armpit. A simple starch-and-iodine test shows us the area first."
        ),
        procedure_minutes=40,
        onset="within about a week",
        onset_days_max=7,
        duration_months_min=4,
        duration_months_max=7,
        min_retreatment_days=112,
        licence="licensed",
        side_effects=[
            "A little more sweating elsewhere on the body for a while (compensatory sweating)",
            "Brief tingling or itching in the armpits",
        ],
        not_suitable_for=[
            *MEDICINE_NOT_SUITABLE,
            "Heavy sweating caused by another condition, such as an overactive thyroid, that has not yet been checked",
        ],
        faqs=[
            (
                "Does it hurt?",
                "The needle is very fine and goes only just under the skin. Most people describe a series of "
                "small pinches, and we can numb the skin with cream first.",
            ),
            (
                "Will I stop sweating altogether?",
                "No. The aim is ordinary sweating in the armpits, not none at all. The rest of your body "
                "keeps cooling you as usual.",
            ),
            (
                "How soon can I have it again?",
                "Not sooner than 16 weeks. Most people come back when they notice sweating returning, "
                "often four to seven months later.",
            ),
        ],
    ),
    medicine_treatment(
        slug="oily-skin",
        title="Oily skin and acne",
        patient_problem="My forehead is shiny and greasy by lunchtime and I keep getting spots",
        patient_phrases=[
            "oily forehead",
            "oily skin",
            "greasy skin",
            "shiny forehead",
            "oily T-zone",
            "my skin is always oily",
            "spots on my forehead",
            "acne on my forehead",
            "large pores",
        ],
        summary=(
            "A light treatment for an oily, shine-prone forehead: tiny surface doses reduce oil while "
            "keeping your expressions, after a prescriber consultation."
        ),
        areas=["Forehead"],
        how_it_works=[
            "Skin oil (sebum) comes from glands in the skin. When they are overactive the forehead turns "
            "shiny and the extra oil can feed spots. Very small amounts of a prescription-only medicine "
            "placed in the top layer of the skin calm those glands, so the skin makes less oil.",
            "Because the doses are tiny and very shallow, the forehead still moves. We keep this to the "
            "forehead, where it works best: spreading it across the whole face would weaken the muscles of "
            "expression and risk a 'frozen' look.",
            OFF_LABEL_NOTE,
        ],
        injection_sites="Many tiny, very shallow droplets spread evenly across the forehead.",
        procedure_minutes=30,
        onset="within about two weeks",
        onset_days_max=14,
        duration_months_min=4,
        duration_months_max=4,
        side_effects=[
            "Some temporary loss of forehead movement",
            "Small raised bumps that settle within an hour",
        ],
        not_suitable_for=FACE_NOT_SUITABLE,
        faqs=[
            (
                "Will this cure my acne?",
                "It is not a cure. It can cut the oil that feeds spots on the forehead, and works well "
                "alongside good skincare or treatment from your GP or dermatologist.",
            ),
            (
                "Can I have it on my whole face?",
                "We do not recommend it. The muscles of expression lie close under the skin across the face, "
                "and even tiny doses there could flatten your expressions.",
            ),
        ],
    ),
    medicine_treatment(
        slug="nose-tip-lift",
        title="Drooping nose tip",
        patient_problem="The tip of my nose has started to droop, and it dips further when I smile",
        patient_phrases=[
            "droopy nose tip",
            "drooping nose",
            "my nose looks hooked",
            "my nose tip drops when I smile",
            "my nose looks longer as I get older",
            "nose tip lift without surgery",
        ],
        summary=(
            "A ten-minute, non-surgical way to lift the look of a nose tip that has begun to droop, after "
            "an in-person prescriber consultation."
        ),
        areas=["Base of the nose, between the nostrils"],
        how_it_works=[
            "From around our forties the tip of the nose tends to drop, which can make the nose look "
            "longer or slightly hooked. A small muscle at the base of the nose (the depressor septi) adds "
            "to this by tugging the tip downward, especially when you smile or talk.",
            "A very small dose of a prescription-only medicine into that muscle eases its pull, so the tip "
            "sits a little higher and the whole face can look lifted. Bone and cartilage are not changed.",
            OFF_LABEL_NOTE,
        ],
        injection_sites="One small injection at the base of the nose, in the column of skin between the nostrils.",
        procedure_minutes=10,
        onset="within one to two weeks",
        onset_days_max=14,
        duration_months_min=3,
        duration_months_max=3,
        side_effects=["A slight change in how the upper lip moves when smiling, for a few weeks"],
        not_suitable_for=FACE_NOT_SUITABLE,
        faqs=[
            (
                "Is this like a nose job?",
                "No. Surgery reshapes bone and cartilage for good. This only relaxes one small muscle, so the "
                "change is subtle and wears off over a few months.",
            ),
            (
                "How long does it take?",
                "The treatment itself takes about ten minutes. Your consultation comes first and takes longer.",
            ),
        ],
    ),
    medicine_treatment(
        slug="jaw-slimming-and-teeth-grinding",
        title="Jaw slimming and teeth grinding",
        patient_problem="I grind my teeth at night and wake up with an aching jaw",
        patient_phrases=[
            "grinding my teeth",
            "I grind my teeth",
            "clenching my jaw",
            "sore jaw when I wake up",
            "jaw ache from clenching",
            "bruxism",
            "my jaw looks square",
            "wide jawline",
            "slim my jaw",
        ],
        summary=(
            "Relaxing over-worked chewing muscles to ease grinding and clenching and to slim a widened "
            "jawline, after an in-person consultation."
        ),
        areas=["Jaw (masseter muscles)", "Lower face"],
        how_it_works=[
            "The masseters are the chewing muscles at the back of the jaw. Clenching or grinding, often "
            "during sleep, builds them up like any well-exercised muscle. That can square off the lower "
            "face and leave the jaw, teeth and temples sore.",
            "A prescription-only medicine placed into the muscle on each side reduces the force of "
            "clenching. Over the following weeks the muscle eases and gradually shrinks, so the jawline "
            "looks slimmer, the cheeks can look a little lifted, and grinding pain often settles.",
            OFF_LABEL_NOTE + " Our dentist may also suggest a night guard to protect your teeth; the two work "
            "well together.",
        ],
        injection_sites="One to three points in the chewing muscle on each side of the jaw.",
        procedure_minutes=20,
        onset="easing from about four weeks, at its best after 8 to 12 weeks",
        onset_days_max=84,
        duration_months_min=4,
        duration_months_max=12,
        reviewed_by="Dr Owen Pryce",
        side_effects=[
            "Chewing tough food may feel tiring for a few weeks",
            "Rarely, a change to the smile if the medicine reaches nearby muscles",
        ],
        not_suitable_for=FACE_NOT_SUITABLE,
        faqs=[
            (
                "How long does it last?",
                "Most people notice the effect for several months. With repeat treatments the muscle often "
                "stays smaller for longer, and some patients go as long as a year between visits.",
            ),
            (
                "Will it stop me grinding completely?",
                "It lowers the force of grinding rather than stopping the habit, so your teeth and jaw take "
                "less strain. A dental night guard still helps protect your teeth.",
            ),
        ],
    ),
    medicine_treatment(
        slug="jowls",
        title="Jowls and jawline definition",
        patient_problem="My jawline has gone soft and I've started to get jowls",
        patient_phrases=[
            "jowls",
            "saggy jawline",
            "loose skin along my jaw",
            "my jawline isn't sharp any more",
            "sagging lower face",
            "undefined jawline",
        ],
        summary=(
            "Small, precise doses along the jawline that relax the muscle pulling the lower face down, to "
            "help define its edge, after a prescriber consultation."
        ),
        areas=["Jawline"],
        how_it_works=[
            "Part of the neck muscle (the platysma) reaches up over the jaw and pulls the lower face "
            "downward. As skin loosens with age, that pull blurs the jawline and deepens jowls.",
            "Small amounts of a prescription-only medicine along the jawline ease that downward pull, so "
            "the muscles that lift the face have more say. The result is a subtly crisper jaw edge. For "
            "heavier jowls another treatment may suit you better, and we will tell you so.",
            OFF_LABEL_NOTE,
        ],
        injection_sites="Small amounts at several points along the lower edge of the jaw, on each side.",
        procedure_minutes=15,
        onset="within about two weeks",
        onset_days_max=14,
        duration_months_min=3,
        duration_months_max=4,
        side_effects=["Rarely, a lopsided smile for a few weeks if the medicine reaches a lip muscle"],
        not_suitable_for=FACE_NOT_SUITABLE,
        faqs=[
            (
                "Will it lift heavy jowls?",
                "It gives a subtle lift and better definition. Loose skin or marked volume loss usually needs "
                "a different approach, and we will be honest about what to expect.",
            ),
            (
                "Can this be combined with neck treatment?",
                "Yes. The neck and jawline muscles are connected, and treating both together is common. Your "
                "prescriber plans the total dose with you.",
            ),
        ],
    ),
    medicine_treatment(
        slug="neck-lines",
        title="Neck lines and neck bands",
        patient_problem="I've got rings around my neck and cords that stand out when I talk",
        patient_phrases=[
            "lines on my neck",
            "neck lines",
            "necklace lines",
            "rings around my neck",
            "neck bands",
            "cords in my neck",
            "turkey neck",
            "neck wrinkles",
        ],
        summary=(
            "Softening the horizontal 'necklace' lines and the upright neck bands with tiny, carefully "
            "spread doses, after a prescriber consultation."
        ),
        areas=["Neck"],
        how_it_works=[
            "The platysma is a thin sheet of muscle running from the collarbones up into the lower face. "
            "Its pull makes upright bands stand out when you talk or strain, and it adds to the horizontal "
            "lines that ring the neck.",
            "Tiny amounts of a prescription-only medicine just above and below the horizontal lines, all "
            "the way round, soften them. Relaxing the upright bands helps too: because this muscle joins "
            "the muscles of the lower face, easing it lessens the downward pull on the jaw and mouth.",
            OFF_LABEL_NOTE,
        ],
        injection_sites="Tiny amounts just above and below each horizontal line around the neck, and along the bands.",
        procedure_minutes=20,
        onset="within about two weeks",
        onset_days_max=14,
        duration_months_min=3,
        duration_months_max=4,
        side_effects=["Rarely, weakness when swallowing or lifting the head, which is why doses are kept small"],
        not_suitable_for=MEDICINE_NOT_SUITABLE,
        faqs=[
            (
                "Is the neck a safe area to treat?",
                "Yes, with trained hands, small doses and shallow placement. The muscles used for swallowing "
                "lie deeper, and we ask about any past swallowing problems first.",
            ),
            (
                "Will it tighten loose skin?",
                "It softens lines and bands but does not tighten loose skin. If that is your main concern we "
                "can talk about other options.",
            ),
        ],
    ),
    medicine_treatment(
        slug="migraine",
        title="Chronic migraine",
        patient_problem="My migraines won't stop, even with the tablets from my GP",
        patient_phrases=[
            "headaches every week",
            "migraines won't stop",
            "migraine most days",
            "headaches more than half the month",
            "chronic migraine",
            "preventive tablets haven't worked",
            "constant headaches",
        ],
        summary=(
            "Preventive treatment for adults with chronic migraine when standard preventive medicines have "
            "not helped, following NICE criteria and starting with a consultation."
        ),
        category="medical",
        areas=["Forehead", "Temples", "Back of the head", "Neck and upper shoulders"],
        how_it_works=[
            "Nobody yet knows exactly how this helps migraine. The leading ideas are that it stops nerve "
            "endings releasing pain-signalling chemicals and relaxes tense muscles of the head and neck.",
            "It is meant for chronic migraine: headaches on at least 15 days a month, at least 8 of them "
            "migraine, for three months or more. Following NICE guidance, it is offered once at least three "
            "preventive medicines have failed, and it stops if headache days have not fallen by at least 30% "
            "after two courses.",
            "A prescription-only medicine is given in small amounts at set points over the head and neck, "
            "repeated every 12 weeks. This is a licensed use, and treating migraine is a service we are "
            "registered with the Care Quality Commission to provide. Please bring your headache diary.",
        ],
        injection_sites=(
            "Small injection points over seven areas: between the brows, the forehead, the temples, the back "
            "of the head, the top of the neck and the upper shoulders."
        ),
        procedure_minutes=20,
        onset="builds over the first few weeks; judged after two courses",
        onset_days_max=28,
        duration_months_min=3,
        duration_months_max=3,
        min_retreatment_days=84,
        licence="licensed",
        side_effects=[
            "Neck pain or stiffness for a few days",
            "A temporary drooping eyelid or brow",
            "Headaches that briefly get worse in the first week",
        ],
        not_suitable_for=MEDICINE_NOT_SUITABLE,
        faqs=[
            (
                "How will I know if it is working?",
                "Keep a headache diary. We compare headache days before treatment with the months after; if "
                "they have not dropped by at least 30% after two courses, we stop.",
            ),
            (
                "Will it replace my other migraine medicines?",
                "Not straight away. Keep taking what you have been prescribed unless your doctor advises "
                "otherwise, and bring a list to your consultation.",
            ),
            (
                "Do I need a referral?",
                "You can come to us directly or with a letter from your GP or neurologist. A summary of your "
                "headache history helps us assess you.",
            ),
        ],
    ),
    medicine_treatment(
        slug="gummy-smile",
        title="Gummy smile",
        patient_problem="Too much of my gums show when I smile",
        patient_phrases=[
            "gummy smile",
            "my gums show when I smile",
            "my top lip rises too high",
            "I hide my smile in photos",
            "too much gum showing",
        ],
        summary=(
            "Easing the muscle that lifts the upper lip too far, so less gum shows when you smile, after a "
            "consultation with our dentist or a prescriber."
        ),
        areas=["Upper lip"],
        how_it_works=[
            "A smile can show a wide band of gum when the muscles that raise the upper lip are especially strong.",
            "A tiny dose of a prescription-only medicine on each side, beside the nose, softens that lift "
            "so the lip settles a little lower. Teeth and gums are untouched, and our dentist checks whether "
            "the cause is the lip, the teeth or the gums.",
            OFF_LABEL_NOTE,
        ],
        injection_sites="A tiny dose on each side, just beside the nostrils, where the lip-lifting muscles sit.",
        procedure_minutes=10,
        onset="within one to two weeks",
        onset_days_max=14,
        duration_months_min=4,
        duration_months_max=6,
        reviewed_by="Dr Owen Pryce",
        side_effects=["The smile may feel a little stiff or uneven for a week or two"],
        not_suitable_for=FACE_NOT_SUITABLE,
        faqs=[
            (
                "Could my gummy smile have another cause?",
                "Yes. Overgrown gums or the way the teeth came through can also be responsible. Our dentist "
                "checks this first, because those causes need a different treatment.",
            ),
        ],
    ),
    clinic_treatment(
        slug="dermal-filler",
        title="Dermal filler",
        patient_problem="My face has lost volume and I look more tired than I feel",
        patient_phrases=[
            "lost volume in my cheeks",
            "thin lips",
            "hollow cheeks",
            "deep lines from my nose to my mouth",
            "tired-looking eyes",
            "lip filler",
            "cheek filler",
            "sunken under my eyes",
            "nasolabial folds",
        ],
        summary=(
            "A hyaluronic acid gel to restore lost volume or shape in the lips, cheeks and folds, planned at "
            "a consultation and checked at a review."
        ),
        areas=["Lips", "Cheeks", "Nose-to-mouth lines", "Chin and jawline"],
        how_it_works=[
            "Most fillers are a gel of hyaluronic acid, a sugar the skin makes itself. Placed under the skin, "
            "the gel restores volume and support where it has been lost with age, and holds water so it "
            "stays soft.",
            "Fillers are medical devices rather than medicines, so in law they are not prescription-only. We "
            "still treat them as medical care: an assessment and consultation come first, and you are "
            "treated by a clinician trained to manage complications. Hyaluronic acid filler can be dissolved "
            "with an enzyme (hyaluronidase) if ever needed.",
            "The law in England forbids filler for anyone under 18, so we check the age of everyone we treat.",
        ],
        injection_sites=(
            "A fine needle or a blunt-tipped cannula, depending on the area; numbing cream, or anaesthetic "
            "mixed into the gel, keeps it comfortable."
        ),
        procedure_minutes=45,
        onset="straight away, settling over about two weeks",
        onset_days_max=14,
        duration_months_min=6,
        duration_months_max=12,
        side_effects=[
            "Swelling, tenderness and bruising for a few days",
            "Small lumps that usually settle or can be massaged",
            "Rarely, infection or a lump that appears weeks later",
            "Very rarely, filler blocking a blood vessel: an emergency we are trained and equipped to treat at once",
        ],
        not_suitable_for=[
            "Anyone under 18",
            "Pregnancy or breastfeeding",
            "An infection, cold sore or inflamed skin in the area",
            "Allergy to hyaluronic acid or lidocaine",
            "A bleeding disorder or blood thinners, unless your clinician agrees it is safe",
            "An autoimmune condition that is currently active",
            "Major dental work planned in the next two weeks",
        ],
        faqs=[
            (
                "Can filler be reversed?",
                "Hyaluronic acid filler can be dissolved with an enzyme if you are unhappy with it or there is "
                "a complication. That is one reason it is the only kind we use.",
            ),
            (
                "Will people be able to tell?",
                "We aim for a result that looks like you on a good day. We would rather build volume gently "
                "over two visits than overfill.",
            ),
        ],
    ),
    clinic_treatment(
        slug="skin-peel",
        title="Chemical skin peel",
        patient_problem="My skin looks dull and the tone is uneven",
        patient_phrases=[
            "dull skin",
            "uneven skin tone",
            "sun spots",
            "marks left by old spots",
            "rough skin texture",
            "pigmentation",
            "tired-looking skin",
        ],
        summary=(
            "A course of clinic-strength peels to brighten dull skin, refine texture and even out tone, "
            "tailored after a skin consultation."
        ),
        areas=["Face", "Neck", "Backs of the hands"],
        how_it_works=[
            "A peel is a carefully timed solution of skin-safe acids that loosens the tired top layer of "
            "skin, so it sheds and fresher skin comes through. Light peels work on the surface with little "
            "downtime; stronger ones reach deeper and need more recovery.",
            "At your consultation we look at your skin type and goals and may do a patch test. Most people "
            "get the best results from a short course about four weeks apart, with daily sun protection in "
            "between.",
            "Peels contain no prescription medicines.",
        ],
        injection_sites="",
        procedure_minutes=30,
        onset="a few days, once any flaking has settled",
        onset_days_max=7,
        duration_months_min=1,
        duration_months_max=2,
        min_retreatment_days=28,
        side_effects=[
            "Warmth or stinging while the peel is on",
            "Redness and light flaking for a few days",
            "Patches of skin turning darker or lighter for a while, more likely on darker skin, which is why "
            "we patch test",
        ],
        not_suitable_for=[
            "Anyone under 18",
            "Pregnancy or breastfeeding, for some peels",
            "Active cold sores, infection, broken skin or an eczema flare in the area",
            "Isotretinoin acne treatment in the last six months",
            "Recent sunburn, or a tan you plan to top up",
            "Recent waxing, laser or other resurfacing in the area",
        ],
        faqs=[
            (
                "How many peels will I need?",
                "Most people have a course of three to six, about four weeks apart, then a top-up every few months.",
            ),
            (
                "Can I go back to work afterwards?",
                "After a light peel, usually yes; your skin may look a little pink. Stronger peels can mean a "
                "few days of visible flaking, so we plan them around your diary.",
            ),
        ],
    ),
]
