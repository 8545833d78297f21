"""exactmin.exact"""
