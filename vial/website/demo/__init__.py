"""The demo clinic: invented content, generated artwork and the loader behind `manage.py load_demo`.

Everything here is demo data. People, registration numbers, addresses and phone numbers are invented.
"""
