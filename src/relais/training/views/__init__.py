"""Pages of the training cascade, one module per concern.

programmes: programmes, modules and kits; sessions: planning, facilitators and
enrolment; records: attendance, scores and fidelity; certificates: the PDF
documents; certifications: decisions on trainers; trainers: a person's training
history and a trainer's cascade; verification: the public page a certificate's
QR code opens.

Views stay thin: services write, selectors read, policies decide.
"""
