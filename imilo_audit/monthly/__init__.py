"""Unattended use: the monthly schedule and the email to the quality officer.

:mod:`.schedule` installs or removes the monthly audit (systemd timer, crontab line, Windows task)
and finds the drop folder's export of the month; :mod:`.notify` writes and sends the month's email.
The commands themselves (``planifier``, ``mensuel``) are in :mod:`imilo_audit.cli`.
"""
