"""Facts about a region that every module reads and none may decide on its own: its clock and time zone,
its working days and holidays, and which regions are in service. The bottom layer: it imports no other
app of the platform."""
