"""Documents made from the portal's data, and the feedback that goes into them.

- ``services/gather/`` reads a document's data (fixed number of queries) and hashes it;
- ``services/jobs.py`` asks for a document (the same file while the data is unchanged)
  and renders it in the worker (``tasks.task_report_render``), through ``common.pdf``;
- ``services/surveys.py`` invites the people of a mission or event once it is over and
  records their answers; ``services/texts.py`` saves the organisers' sections;
- templates in ``templates/reports/``, print stylesheet and fonts in ``static/reports/``;
- ``python manage.py render_report KIND SLUG --output FILE.pdf`` for operators.
"""
