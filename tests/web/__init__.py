"""Tests of the web console and JSON API."""
