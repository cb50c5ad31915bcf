"""Demo data: the four regions of the seed articles, each with a unit tree, positions, a few hundred
employees with valid NIPs, and one login per role. `manage.py seed_demo` calls `builder.seed_demo`.

The data is generated, not sampled from real people: names are drawn from pools that fit each region,
and every number follows the same rules the people services enforce (NIP structure, golongan by
position, supervisors along the unit tree). A seeded random makes every run produce the same data.
"""
