"""The hall's screens: the clerk's workbench, the supervisor's view, the board, the kiosk, the prints,
and the service to applicants (lookup and rating, complaints, rectification of bad ratings,
extended-hours appointments). Views read through the scope function, parse a form, call one service
function and render; no rule lives here."""
