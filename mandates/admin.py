"""Admin of the mandates app."""
