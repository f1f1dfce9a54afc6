"""A Trace becomes files: figures (PNG/SVG), animations (GIF/MP4), the HTML report,
the gallery, and the command-line subcommands that write them.

Everything here reads geometry from :mod:`netwarp.views` and draws it with
:mod:`netwarp.render`; nothing below imports from here.
"""
