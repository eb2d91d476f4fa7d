"""The password hasher of the random initial passwords the platform issues.

Django's default hasher (PBKDF2, a million rounds, about half a second) is slow on purpose: it
protects passwords people choose, which are guessable. An import of 10 000 members hashed that
way would take well over an hour. The initial passwords are not chosen by people: each is 16
characters drawn at random from 31 (79 bits, `credentials.new_initial_password`). Searching
half of that space with a GPU doing 10^8 of these light hashes a second would take some 10^8
years, so a light hash protects them as well as the slow one protects a chosen password; the
rounds are not what keeps them safe, the randomness is. Each account still gets its own salt,
so equal hashes never show up. They are also short-lived: this hasher is not the preferred
one, so Django re-hashes the password with the default hasher at the first login
(`check_password` then calls its setter), and that login goes on to ask for a password of the
member's own.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.utils.crypto import get_random_string


class InitialPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with a light work factor, for the platform's random initial passwords only."""

    algorithm = "pbkdf2_sha256_initial"
    iterations = 100

    def verify(self, password: str, encoded: str) -> bool:
        # Spend the default hasher's time too, as Django does for unusable passwords, so the
        # speed of a login attempt does not tell which accounts still have their initial one.
        make_password(get_random_string(22))
        return super().verify(password, encoded)
