"""Finding the one staff member a clinician byline or a diary practitioner describes.

Used by the migrations that brought `website.Clinician` and `booking.Practitioner` together
(historical models are passed in) and by `Practitioner.save` for a practitioner made without one.
"""


def find_staff_member(model, *, user_id=None, display_name="", regulator="", registration_number=""):
    """The staff member who is this person, or None: the same login, else the same registration, else
    the same name among those without a login."""
    people = model.objects.all()
    if user_id is not None:
        person = people.filter(user_id=user_id).first()
        if person is not None:
            return person
    if regulator and registration_number.strip():
        person = (
            people.filter(regulator=regulator, registration_number__iexact=registration_number.strip())
            .filter(user__isnull=True)
            .first()
        )
        if person is not None:
            return person
    if display_name.strip():
        return people.filter(display_name__iexact=display_name.strip(), user__isnull=True).first()
    return None
