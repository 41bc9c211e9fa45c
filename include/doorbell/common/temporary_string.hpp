#pragma once
// TemporaryString: a std::string prvalue or xvalue. A function that returns a view into its argument
// declares a deleted overload for it, so a view into a temporary (the header value returned by value
// and gone at the end of the statement) is a compile error rather than a read of freed memory.

#include <concepts>
#include <string>

namespace doorbell {

template <typename T>
concept TemporaryString = std::same_as<T, std::string>;

}  // namespace doorbell
