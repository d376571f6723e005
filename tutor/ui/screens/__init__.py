"""The learner's screens: menus, a lesson, and the one yes/no question used everywhere."""
