"""The analyst's corrections of codes and case features, and the cases they have verified."""
