"""The hall's screens. Views read through the scope function and act through the service functions;
no rule lives here."""
