// Reasoning: see Package.swift for this module's role.
