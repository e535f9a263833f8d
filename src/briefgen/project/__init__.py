"""Briefing projects: `briefgen.yaml`, editions and their manifests, and the incremental build."""
