"""Login through an OpenID Connect provider (VNeID and others): one base class, one registry,
providers under contrib/, and a local simulator that speaks the same protocol for tests."""
