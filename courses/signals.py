"""Events other parts of the platform listen to (study points, dashboards).

Both are sent after the transaction that recorded the completion commits, once per member
and lesson/course.
"""

from django.dispatch import Signal

# sender=LessonPage, user=…, lesson=…, progress=LessonProgress
lesson_completed = Signal()
# sender=CoursePage, user=…, course=…, enrollment=Enrollment
course_completed = Signal()
