"""The unit's founding texts: 三定 regulations from one city template, charters (章程), party organisations."""
