"""The demo province (new Tây Ninh, Long An + Tây Ninh merged on 1/7/2025), built by `manage.py demo`.

A plain package, not an app: it only writes through the apps' models and services.
"""
