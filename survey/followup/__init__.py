"""Follow-up of unhappy citizens: cases, work lists, alerts, purges, figures.

Services: cases.py (the only writer of cases), settings.py, workdays.py,
alerts.py, purge.py, figures.py (also called by the evidence report),
queries.py. Web: views.py (blueprint `followup`), forms.py. docs/followup.md.
"""
