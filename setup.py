"""For scrapyd-deploy, which builds eggs through setup.py; the project is in pyproject.toml."""

from setuptools import setup

setup()
