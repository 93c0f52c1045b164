"""Screens of the hall's service to applicants: lookup and rating, complaints, rectification of bad
ratings, extended-hours appointments. Views parse a form, call one service function and render; the
rules live in the service modules."""
