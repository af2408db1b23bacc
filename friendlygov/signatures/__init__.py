"""Digital signatures (ký số): PAdES signing and verification of the PDFs the platform makes, trust roots,
signing credentials, and the signature state of issued documents and signing requests."""
