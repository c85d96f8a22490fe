"""Voice consent: enrolment, scoped consent records, revocation, encrypted voice data.

Not built yet: the voice issue fills this package. The request path already reserves step 4
(consent) for it in gateway/pipeline.py.
"""

__all__: list[str] = []
