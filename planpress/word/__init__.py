"""Word both ways: bring an existing Word plan in (`import`) and a partner's reviewed Word file back (`absorb`)."""
