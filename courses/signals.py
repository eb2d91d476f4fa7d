"""Events other parts of the platform listen to (study points, dashboards), and the one the
page models send up to the member views.

The completions are sent after the transaction that recorded them commits, once per member
and lesson/course.
"""

from django.dispatch import Signal

# sender=LessonPage, user=…, lesson=…, progress=LessonProgress
lesson_completed = Signal()
# sender=CoursePage, user=…, course=…, enrollment=Enrollment
course_completed = Signal()
# sender=the page's class, page=…, request=…; each receiver returns a dict for the page's
# template context (courses/views.py answers for the catalogue, course and lesson pages).
page_context = Signal()
