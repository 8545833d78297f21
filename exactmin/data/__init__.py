"""exactmin.data"""
