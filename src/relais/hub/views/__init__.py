"""Pages of the hub desk, one module per concern.

desk: reception, visits, listening notes, consents and the centres' note
supervisors; referrals: orientation to a service and its follow-up; catalogue:
the services and their providers; dashboard: the hub's figures and its rules;
dataprotection: requests under law 09-08 and the person's file.

Views stay thin: services write, selectors read, policies decide.
"""
