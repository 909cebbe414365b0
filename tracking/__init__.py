"""Follow-up of the reform to the last unit (跟踪督导): tasks, milestones, each unit's checklist, registration
deadlines."""
