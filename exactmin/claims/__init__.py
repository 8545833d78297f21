"""exactmin.claims"""
