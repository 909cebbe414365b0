"""Models of the mandates app."""
