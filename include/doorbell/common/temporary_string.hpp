#pragma once
// TemporaryString: a std::string prvalue or xvalue. A function that returns a view into its argument
// declares a deleted overload for it, so a view into a temporary (the header value returned by value
// and gone at the end of the statement) is a compile error rather than a read of freed memory.

#include <concepts>
#include <string>
#include <type_traits>

namespace doorbell {

// As the deduced type of a forwarding reference: a std::string (const or not) that is not an lvalue.
template <typename T>
concept TemporaryString = std::same_as<std::remove_cvref_t<T>, std::string> && !std::is_lvalue_reference_v<T>;

}  // namespace doorbell
