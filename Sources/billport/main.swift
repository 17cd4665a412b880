print("billport")
