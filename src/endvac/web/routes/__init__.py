"""The routers of the web app, one module per area; app.py includes each."""
