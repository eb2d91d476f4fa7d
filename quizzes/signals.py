"""Signals other apps listen to.

`quiz_passed` (sender=Quiz, user=…, quiz=…, attempt=…) is sent once the submission that
passed has been committed, so receivers (e.g. lesson completion in courses) see the attempt.
"""

from django.dispatch import Signal

quiz_passed = Signal()
