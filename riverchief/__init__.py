"""RiverBoard's domain: the snapshot store, SQL over it and the pure rules (lights, water classes).

Nothing in this package imports Streamlit: pages call it, never the other way round.
"""
