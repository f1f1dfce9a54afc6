"""The web playground: a Starlette server that trains and computes every view,
and a browser page that only draws what it receives.

``netwarp serve`` starts it; :func:`netwarp.web.app.create_app` builds the app
(importing it pulls in Starlette, so this package's ``__init__`` stays empty).
"""
