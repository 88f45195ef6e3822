"""The pages of the built site that the browser tests open (paths relative to the site root),
and how many charts each chapter of the answers to China shows."""

from __future__ import annotations

CH1 = "book/01-what-are-rare-earths.html"
CH2 = "book/02-china-supremacy.html"
CH3 = "book/03-busan-truce.html"
ASIA = "book/04-asia.html"
US = "book/05-united-states.html"
EUROPE = "book/06-europe.html"
CAREMAG = "book/07-caremag.html"
CONCLUSION = "book/08-conclusion.html"
CHARTS_PER_PAGE = {ASIA: 2, US: 3, EUROPE: 2, CAREMAG: 2, CONCLUSION: 3}
